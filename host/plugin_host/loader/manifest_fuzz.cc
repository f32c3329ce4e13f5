// Fuzzes the plugin-file inspector (ELF parsing through libelf and manifest
// validation): it must never crash, and a manifest it accepts must be valid.
#include <cstdlib>

#include "host/plugin_host/loader/manifest.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  using namespace prowl::plugins;
  std::string error;
  auto info = inspect_plugin_image({data, size}, &error);
  if (info) {
    for (const Manifest& m : info->manifest.plugins) {
      if (!is_valid_plugin_name(m.name)) std::abort();
    }
    if (info->manifest.abi_major == PROWL_ABI_MAJOR &&
        (info->manifest.plugins.empty() || info->manifest.plugins.size() > PROWL_MAX_PLUGINS))
      std::abort();
  }
  if (!info && (error.empty() || error.find('\n') != std::string::npos)) std::abort();
  return 0;
}
