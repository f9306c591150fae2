// The ClickHouse backend of the server (`plcscope serve --clickhouse`), as the
// health poll reports it: its database name, or null when the server has none
// (then the Fleet view is not offered). Module singleton.

import { signal } from '@preact/signals';

export const fleetDatabase = signal<string | null>(null);
