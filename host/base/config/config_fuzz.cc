// Fuzzes the configuration parser: any input is accepted or refused with a
// positioned message, never crashes; an accepted one answers lookups.
#include <cstdlib>
#include <string_view>

#include "host/base/config/config.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  using prowl::config::Config;
  std::string error;
  auto config = Config::parse({reinterpret_cast<const char*>(data), size}, "fuzz", &error);
  if (!config) {
    if (error.rfind("fuzz:", 0) != 0) std::abort();
    return 0;
  }
  if (config->get_integer("codec.max_output_bytes") < 1) std::abort();
  (void)config->plugin_value("p", "a.b");
  return 0;
}
