#include "host/plugin_host/loader/plugin.h"

#include <utility>

#include "host/plugin_host/internal/call_guard.h"

namespace prowl::plugins {
namespace {

/// Runs one vtable call; a failure's message names the plugin.
template <class F>
CallResult guarded_call(const std::string& plugin, F&& call) {
  CallResult result = call_guarded(std::forward<F>(call));
  if (!result.ok()) result.message = "plugin '" + plugin + "' " + result.message;
  return result;
}

}  // namespace

Plugin::Plugin(Manifest manifest, std::filesystem::path file, prowl_plugin instance) noexcept
    : manifest_(std::move(manifest)), file_(std::move(file)), instance_(instance) {}

Plugin::~Plugin() {
  if (instance_.destroy == nullptr) return;
  try {
    instance_.destroy(instance_.self);
  } catch (...) {
    // A throwing destroy() cannot be reported from a destructor; the instance is gone either way.
  }
}

std::string Plugin::check_vtable(prowl_kind kind, const void* vtable) {
  if (vtable == nullptr) return "entry returned no vtable";
  auto too_small = [](uint32_t got, size_t want) {
    return "vtable struct_size " + std::to_string(got) + " is smaller than " + std::to_string(want);
  };
  switch (kind) {
    case PROWL_KIND_CODEC: {
      const auto* v = static_cast<const prowl_codec_vtable*>(vtable);
      if (v->struct_size < sizeof *v) return too_small(v->struct_size, sizeof *v);
      if (v->compress == nullptr || v->decompress == nullptr) return "codec vtable has a null function";
      return {};
    }
    case PROWL_KIND_CODON: {
      const auto* v = static_cast<const prowl_codon_vtable*>(vtable);
      if (v->struct_size < sizeof *v) return too_small(v->struct_size, sizeof *v);
      if (v->encode == nullptr || v->decode == nullptr) return "codon vtable has a null function";
      return {};
    }
    case PROWL_KIND_ROLE:
    case PROWL_KIND_HUNT: {
      const auto* v = static_cast<const prowl_agent_vtable*>(vtable);
      if (v->struct_size < sizeof *v) return too_small(v->struct_size, sizeof *v);
      if (v->start == nullptr || v->stop == nullptr) return "agent vtable has a null function";
      return {};
    }
  }
  return "unknown plugin kind " + std::to_string(static_cast<uint32_t>(kind));
}

CallResult Plugin::compress(std::span<const uint8_t> in, int32_t level, prowl_writer* out,
                            std::string* used_codec) const {
  const auto* v = static_cast<const prowl_codec_vtable*>(instance_.vtable);
  char used[PROWL_NAME_MAX] = {};
  CallResult r = guarded_call(name(), [&](prowl_error* err) {
    return v->compress(instance_.self, in.data(), in.size(), level, out, used, err);
  });
  if (r.ok() && used_codec != nullptr) {
    used[PROWL_NAME_MAX - 1] = '\0';
    *used_codec = used[0] == '\0' ? name() : std::string(used);
  }
  return r;
}

CallResult Plugin::decompress(std::span<const uint8_t> in, size_t original_size,
                              prowl_writer* out) const {
  const auto* v = static_cast<const prowl_codec_vtable*>(instance_.vtable);
  return guarded_call(name(), [&](prowl_error* err) {
    return v->decompress(instance_.self, in.data(), in.size(), original_size, out, err);
  });
}

CallResult Plugin::encode(std::span<const uint8_t> in, prowl_writer* out) const {
  const auto* v = static_cast<const prowl_codon_vtable*>(instance_.vtable);
  return guarded_call(name(), [&](prowl_error* err) {
    return v->encode(instance_.self, in.data(), in.size(), out, err);
  });
}

CallResult Plugin::decode(std::span<const uint8_t> in, prowl_writer* out) const {
  const auto* v = static_cast<const prowl_codon_vtable*>(instance_.vtable);
  return guarded_call(name(), [&](prowl_error* err) {
    return v->decode(instance_.self, in.data(), in.size(), out, err);
  });
}

CallResult Plugin::start() const {
  const auto* v = static_cast<const prowl_agent_vtable*>(instance_.vtable);
  return guarded_call(name(), [&](prowl_error* err) { return v->start(instance_.self, err); });
}

void Plugin::stop() const noexcept {
  const auto* v = static_cast<const prowl_agent_vtable*>(instance_.vtable);
  try {
    v->stop(instance_.self);
  } catch (...) {
    // stop() must not fail; a plugin that throws anyway is stopped regardless.
  }
}

}  // namespace prowl::plugins
