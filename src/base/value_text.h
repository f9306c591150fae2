// Value inference for PLC log values (docs/formats.md §1 "Value types").
// Pure functions over a string_view, thread-safe, no allocation.
#pragma once

#include <cstdint>
#include <cstring>
#include <string_view>

namespace plcscope::base {

// The four value types of plcscope, as the API names them.
enum class ValueType : uint8_t { kBoolean = 0, kInteger = 1, kFloat = 2, kString = 3 };

const char* ValueTypeName(ValueType t);  // "boolean", "integer", "float", "string"
bool ParseValueTypeName(std::string_view name, ValueType* out);

// What the log line declares about its value.
enum class DeclaredType : uint8_t {
  kInfer = 0,    // no declaration, or `(int)`, `(float)`, `(word)` ...: infer from text.
  kBoolean = 1,  // `(Boolean)`: ON/OFF/TRUE/FALSE/YES/NO/1/0, else a string sample.
  kInteger = 2,  // `(Integer)`: integer syntax, else a string sample.
  kString = 3,   // `(String)`: always a string.
  kFlag = 4,     // mcs boolean keys: true for TRUE/1/YES/ON (any case), false otherwise.
};

// A value parsed from text: its kind and payload. For kBoolean bits is 0/1,
// for kInteger the int64, for kFloat the double's bit pattern, for kString 0.
struct ParsedValue {
  ValueType kind = ValueType::kString;
  int64_t bits = 0;

  double AsDouble() const {
    if (kind == ValueType::kFloat) {
      double d;
      std::memcpy(&d, &bits, sizeof d);
      return d;
    }
    return static_cast<double>(bits);
  }
  static ParsedValue Float(double d) {
    ParsedValue v;
    v.kind = ValueType::kFloat;
    std::memcpy(&v.bits, &d, sizeof d);
    return v;
  }
};

// Trims ASCII spaces, tabs and CR/LF from both ends.
std::string_view Trim(std::string_view s);

// Integer syntax of docs/formats.md: [+-] (0x hex | 0b bin | decimal), `_` between
// digits, `,` grouping decimal digits. False on overflow or bad syntax.
bool ParseInteger(std::string_view s, int64_t* out);
// Decimal or exponent syntax ("23.5", "-1.5e3", ".5"); not an integer form.
bool ParseFloat(std::string_view s, double* out);
// ON TRUE YES / OFF FALSE NO, any case.
bool ParseBooleanWord(std::string_view s, bool* out);

// Infers a trimmed text under its declaration.
ParsedValue InferValue(std::string_view trimmed_text, DeclaredType declared);

}  // namespace plcscope::base
