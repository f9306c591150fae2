// The ClickHouse schema of pushed sessions (docs/clickhouse.md "Schema"),
// for ClickHouse 18.16 (MergeTree, Distributed, no DateTime64, no window
// functions). Every node holds the `*_local` tables; on a cluster every node
// also holds Distributed tables of the same names without `_local` over them,
// and on one node those names are views of the local tables, so readers
// always query `samples`, `timeline`, `signals` and `files`.
//
// Pure functions over names; thread-safe.
#pragma once

#include <string>
#include <vector>

namespace plcscope::fleet {

inline constexpr int kSchemaVersion = 1;

// CREATE ... IF NOT EXISTS statements for one node, in order. `cluster`
// empty: a single node. Names are checked by ValidIdentifier first.
std::vector<std::string> SchemaStatements(const std::string& database, const std::string& cluster);

// [A-Za-z_][A-Za-z0-9_]* (database and cluster names are spliced into SQL).
bool ValidIdentifier(const std::string& name);

// The local tables that hold a file's rows, for removing a partial push.
std::vector<std::string> LocalTablesWithFileRows(const std::string& database);

}  // namespace plcscope::fleet
