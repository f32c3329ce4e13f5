// Hunt parameters: a JSON object of string values, as `prowl hunt run
// --param K=V` builds it ({"from":"0","to":"100000000"}). Shared by the
// shipped hunts; their errors name the parameter.
#pragma once

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <string_view>

namespace prowl::hunts {

class Params {
 public:
  /// Parses `json`; on failure returns nullopt with *error saying why.
  static std::optional<Params> parse(std::string_view json, std::string* error);

  /// The value of `key`, or nullopt when absent.
  std::optional<std::string> text(std::string_view key) const;
  /// `key` as an unsigned integer within [min, max]; `fallback` when absent
  /// (nullopt fallback: required). On failure returns nullopt with *error
  /// naming the key and the bound.
  std::optional<uint64_t> number(std::string_view key, std::optional<uint64_t> fallback, uint64_t min, uint64_t max,
                                 std::string* error) const;

 private:
  std::map<std::string, std::string, std::less<>> values_;
};

}  // namespace prowl::hunts
