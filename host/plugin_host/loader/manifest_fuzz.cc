// Fuzzes the plugin-file inspector (ELF parsing through libelf and manifest
// validation): it must never crash, and a manifest it accepts must be valid.
#include <cstdlib>

#include "host/plugin_host/loader/manifest.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  using namespace prowl::plugins;
  std::string error;
  auto info = inspect_plugin_image({data, size}, &error);
  if (info && !is_valid_plugin_name(info->manifest.name)) std::abort();
  if (!info && (error.empty() || error.find('\n') != std::string::npos)) std::abort();
  return 0;
}
