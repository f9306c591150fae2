#include "app/serve_config.h"

#include <toml++/toml.h>

#include <cstdio>
#include <filesystem>
#include <string_view>
#include <vector>

#include "base/mapped_file.h"

namespace plcscope::app {

namespace {

std::string KeyOf(const CLI::Option& opt) {
  return opt.get_lnames().empty() ? opt.get_name() : opt.get_lnames().front();
}

bool IsFlag(const CLI::Option& opt) { return opt.get_expected_min() == 0; }

bool IsList(const CLI::Option& opt) { return opt.get_items_expected_max() > 1; }

bool IsNumber(const CLI::Option& opt) {
  // "INT", "UINT", "FLOAT", or with a check: "INT:INT in [1 - 64]".
  const std::string t = opt.get_type_name();
  for (const char* n : {"INT", "UINT", "FLOAT", "NUMBER"}) {
    const size_t len = std::string_view(n).size();
    if (t.compare(0, len, n) == 0 && (t.size() == len || t[len] == ':')) return true;
  }
  return false;
}

CLI::Option* FindKey(CLI::App* cmd, const std::string& key) {
  for (CLI::Option* opt : cmd->get_options()) {
    if (IsConfigKey(*opt) && KeyOf(*opt) == key) return opt;
  }
  return nullptr;
}

// A scalar TOML value as the text a flag would carry; false for tables,
// arrays, dates and times.
bool ScalarText(const toml::node& n, std::string* out) {
  if (const auto* s = n.as_string()) {
    *out = s->get();
  } else if (const auto* i = n.as_integer()) {
    *out = std::to_string(i->get());
  } else if (const auto* f = n.as_floating_point()) {
    char buf[40];
    std::snprintf(buf, sizeof buf, "%.17g", f->get());
    *out = buf;
  } else if (const auto* b = n.as_boolean()) {
    *out = b->get() ? "true" : "false";
  } else {
    return false;
  }
  return true;
}

base::Status Invalid(const std::string& path, const toml::source_region& where,
                     const std::string& message) {
  return base::InvalidArgument(path + ":" + std::to_string(where.begin.line) + ": " + message);
}

std::string Quoted(std::string_view s) {
  std::string out = "\"";
  for (char c : s) {
    if (c == '"' || c == '\\') {
      out += '\\';
      out += c;
    } else if (c == '\n') {
      out += "\\n";
    } else if (static_cast<unsigned char>(c) < 0x20) {
      char buf[8];
      std::snprintf(buf, sizeof buf, "\\u%04x", c);
      out += buf;
    } else {
      out += c;
    }
  }
  return out + "\"";
}

}  // namespace

bool IsConfigKey(const CLI::Option& opt) {
  const std::string key = KeyOf(opt);
  return key != "config" && key != "print-config" && key != "help";
}

base::Status ApplyConfigText(CLI::App* cmd, const std::string& text, const std::string& path,
                             std::set<std::string>* applied) {
  // Debian's toml++ is a shared library built with exceptions: its parse
  // error is thrown, once, at start-up.
  toml::table table;
  try {
    table = toml::parse(text, path);
  } catch (const toml::parse_error& e) {
    return Invalid(path, e.source(), std::string(e.description()));
  }
  for (const auto& [k, node] : table) {
    const std::string key(k.str());
    CLI::Option* opt = FindKey(cmd, key);
    if (opt == nullptr) {
      return Invalid(path, k.source(),
                     "unknown key '" + key + "' (keys are the long names of the serve flags)");
    }
    if (opt->count() > 0) continue;  // the command line wins
    std::vector<std::string> values;
    std::string v;
    if (const auto* arr = node.as_array()) {
      if (!IsList(*opt)) return Invalid(path, node.source(), "'" + key + "' takes one value");
      for (const toml::node& e : *arr) {
        if (!ScalarText(e, &v)) {
          return Invalid(path, e.source(), "'" + key + "': arrays hold strings or numbers");
        }
        values.push_back(v);
      }
    } else if (!ScalarText(node, &v)) {
      return Invalid(path, node.source(), "'" + key + "': not a string, number or boolean");
    } else if (IsFlag(*opt) && !node.is_boolean()) {
      return Invalid(path, node.source(), "'" + key + "' is true or false");
    } else {
      values.push_back(v);
    }
    if (values.empty()) continue;
    try {
      opt->add_result(values);
      opt->run_callback();
    } catch (const CLI::Error& e) {
      return Invalid(path, node.source(), "'" + key + "': " + e.what());
    }
    applied->insert(key);
  }
  return base::Status::Ok();
}

base::Status ApplyConfigFile(CLI::App* cmd, const std::string& path, bool required,
                             std::set<std::string>* applied, bool* read) {
  *read = false;
  std::error_code ec;
  if (!required && !std::filesystem::exists(path, ec)) return base::Status::Ok();
  auto text = base::ReadFileToString(path);
  if (!text.ok()) {
    return base::InvalidArgument("cannot read the config file " + path + ": " +
                                 text.status().message());
  }
  *read = true;
  return ApplyConfigText(cmd, *text, path, applied);
}

std::string PrintConfig(const CLI::App& cmd, const std::set<std::string>& from_file,
                        const std::string& header) {
  std::string out = header;
  for (const CLI::Option* opt : cmd.get_options()) {
    if (!IsConfigKey(*opt)) continue;
    const std::string key = KeyOf(*opt);
    const char* source = from_file.count(key) ? "file" : opt->count() > 0 ? "flag" : "default";
    if (key == "token") {
      out += std::string("# token = (") + (opt->count() > 0 ? "set, not shown" : "not set") +
             ")  # " + source + "\n";
      continue;
    }
    std::string value;
    if (IsFlag(*opt)) {
      value = opt->count() > 0 && opt->as<bool>() ? "true" : "false";
    } else {
      std::vector<std::string> items = opt->results();
      if (opt->count() == 0) {
        items.clear();
        if (!opt->get_default_str().empty() && !IsList(*opt))
          items.push_back(opt->get_default_str());
      }
      auto render = [&](const std::string& s) {
        return IsNumber(*opt) && !s.empty() ? s : Quoted(s);
      };
      if (IsList(*opt)) {
        value = "[";
        for (size_t i = 0; i < items.size(); ++i) value += (i ? ", " : "") + render(items[i]);
        value += "]";
      } else {
        value = render(items.empty() ? "" : items.back());
      }
    }
    out += key + " = " + value + "  # " + source + "\n";
  }
  return out;
}

}  // namespace plcscope::app
