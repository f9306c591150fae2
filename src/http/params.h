// Query-parameter parsing for handlers: numbers, booleans and comma lists,
// each failing with a 400 that names the parameter. Pure functions over a
// Request, thread-safe.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "http/api_error.h"
#include "http/request.h"

namespace plcscope::http {

// Strict whole-string parses (no spaces, no trailing bytes, finite doubles).
bool ParseInt64(std::string_view s, int64_t* out);
bool ParseFiniteDouble(std::string_view s, double* out);
bool ParseBoolText(std::string_view s, bool* out);  // true/false/1/0 (any case)

// Each returns false and sets *err when the parameter is present but bad;
// leaves *out unchanged when the parameter is absent (or empty).
bool IntParam(const Request& req, std::string_view name, int64_t* out, ApiError* err);
bool DoubleParam(const Request& req, std::string_view name, std::optional<double>* out,
                 ApiError* err);
bool BoolParam(const Request& req, std::string_view name, bool* out, ApiError* err);

// "a,b,,c" -> {"a", "b", "", "c"}; "" -> {}.
std::vector<std::string> SplitList(std::string_view s);

}  // namespace plcscope::http
