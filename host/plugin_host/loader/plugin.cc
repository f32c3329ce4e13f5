#include "host/plugin_host/loader/plugin.h"

#include <utility>

#include "host/plugin_host/internal/call_guard.h"
#include "host/plugin_host/loader/context.h"

namespace prowl::plugins {
namespace {

/// Runs one vtable call; a failure's message names the plugin.
template <class F>
CallResult guarded_call(const std::string& plugin, F&& call) {
  CallResult result = call_guarded(std::forward<F>(call));
  if (!result.ok()) result.message = "plugin '" + plugin + "' " + result.message;
  return result;
}

/// The start and stop of a role or hunt: the two vtables share neither type
/// nor growth, only these two entries.
struct Lifecycle {
  int32_t (*start)(void*, prowl_error*);
  void (*stop)(void*);
};

Lifecycle lifecycle_of(prowl_kind kind, const void* vtable) noexcept {
  if (kind == PROWL_KIND_ROLE) {
    const auto* v = static_cast<const prowl_role_vtable*>(vtable);
    return {v->start, v->stop};
  }
  const auto* v = static_cast<const prowl_hunt_vtable*>(vtable);
  return {v->start, v->stop};
}

}  // namespace

Plugin::Plugin(Manifest manifest, std::filesystem::path file, PluginContext& context, const void* vtable, void* self,
               void (*destroy)(void*)) noexcept
    : manifest_(std::move(manifest)),
      file_(std::move(file)),
      context_(context),
      vtable_(vtable),
      self_(self),
      destroy_(destroy) {}

Plugin::~Plugin() {
  if (destroy_ == nullptr) return;
  try {
    destroy_(self_);
  } catch (...) {
    // A throwing destroy() cannot be reported from a destructor; the instance is gone either way.
  }
}

std::string Plugin::check_vtable(prowl_kind kind, const void* vtable) {
  if (vtable == nullptr) return "no vtable";
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
    case PROWL_KIND_ROLE: {
      const auto* v = static_cast<const prowl_role_vtable*>(vtable);
      if (v->struct_size < sizeof *v) return too_small(v->struct_size, sizeof *v);
      if (v->start == nullptr || v->stop == nullptr) return "role vtable has a null start or stop";
      return {};
    }
    case PROWL_KIND_HUNT: {
      const auto* v = static_cast<const prowl_hunt_vtable*>(vtable);
      if (v->struct_size < sizeof *v) return too_small(v->struct_size, sizeof *v);
      if (v->start == nullptr || v->stop == nullptr) return "hunt vtable has a null start or stop";
      if (v->type < PROWL_HUNT_DISCOVERY || v->type > PROWL_HUNT_INTELLIGENCE)
        return "hunt vtable type " + std::to_string(v->type) + " is none of the four hunt types (1-4)";
      if (v->plan != nullptr && (v->run == nullptr || v->merge == nullptr))
        return "compute hunt vtable has plan but a null run or merge";
      if (v->plan == nullptr && (v->run != nullptr || v->check != nullptr || v->merge != nullptr))
        return "hunt vtable has compute functions but no plan";
      return {};
    }
  }
  return "unknown plugin kind " + std::to_string(static_cast<uint32_t>(kind));
}

CallResult Plugin::compress(std::span<const uint8_t> in, int32_t level, prowl_writer* out,
                            std::string* used_codec) const {
  const auto* v = static_cast<const prowl_codec_vtable*>(vtable_);
  char used[PROWL_NAME_MAX] = {};
  CallResult r = guarded_call(name(), [&](prowl_error* err) {
    return v->compress(self_, in.data(), in.size(), level, out, used, err);
  });
  if (r.ok() && used_codec != nullptr) {
    used[PROWL_NAME_MAX - 1] = '\0';
    *used_codec = used[0] == '\0' ? name() : std::string(used);
  }
  return r;
}

CallResult Plugin::decompress(std::span<const uint8_t> in, size_t original_size, prowl_writer* out) const {
  const auto* v = static_cast<const prowl_codec_vtable*>(vtable_);
  return guarded_call(name(), [&](prowl_error* err) {
    return v->decompress(self_, in.data(), in.size(), original_size, out, err);
  });
}

CallResult Plugin::encode(std::span<const uint8_t> in, prowl_writer* out) const {
  const auto* v = static_cast<const prowl_codon_vtable*>(vtable_);
  return guarded_call(name(), [&](prowl_error* err) { return v->encode(self_, in.data(), in.size(), out, err); });
}

CallResult Plugin::decode(std::span<const uint8_t> in, prowl_writer* out) const {
  const auto* v = static_cast<const prowl_codon_vtable*>(vtable_);
  return guarded_call(name(), [&](prowl_error* err) { return v->decode(self_, in.data(), in.size(), out, err); });
}

prowl_hunt_type Plugin::hunt_type() const noexcept {
  return static_cast<prowl_hunt_type>(static_cast<const prowl_hunt_vtable*>(vtable_)->type);
}

bool Plugin::computes() const noexcept { return static_cast<const prowl_hunt_vtable*>(vtable_)->plan != nullptr; }

bool Plugin::checks() const noexcept { return static_cast<const prowl_hunt_vtable*>(vtable_)->check != nullptr; }

CallResult Plugin::plan(const char* params, const prowl_input& input, const prowl_task_sink& sink) const {
  const auto* v = static_cast<const prowl_hunt_vtable*>(vtable_);
  return guarded_call(name(), [&](prowl_error* err) { return v->plan(self_, params, &input, &sink, err); });
}

CallResult Plugin::run(const char* params, std::span<const uint8_t> task, const prowl_task_control& control,
                       prowl_writer* out) const {
  const auto* v = static_cast<const prowl_hunt_vtable*>(vtable_);
  return guarded_call(name(), [&](prowl_error* err) {
    return v->run(self_, params, task.data(), task.size(), &control, out, err);
  });
}

CallResult Plugin::check(const char* params, std::span<const uint8_t> task, std::span<const uint8_t> result) const {
  const auto* v = static_cast<const prowl_hunt_vtable*>(vtable_);
  return guarded_call(name(), [&](prowl_error* err) {
    return v->check(self_, params, task.data(), task.size(), result.data(), result.size(), err);
  });
}

CallResult Plugin::merge(const char* params, const prowl_results& results, prowl_writer* out) const {
  const auto* v = static_cast<const prowl_hunt_vtable*>(vtable_);
  return guarded_call(name(), [&](prowl_error* err) { return v->merge(self_, params, &results, out, err); });
}

CallResult Plugin::start() const {
  const Lifecycle life = lifecycle_of(kind(), vtable_);
  CallResult r = guarded_call(name(), [&](prowl_error* err) { return life.start(self_, err); });
  started_.store(r.ok());
  if (!r.ok()) context_.registrations().release_all();  // what it registered before failing ends
  return r;
}

void Plugin::stop() const noexcept {
  started_.store(false);
  const Lifecycle life = lifecycle_of(kind(), vtable_);
  try {
    life.stop(self_);
  } catch (...) {
    // stop() must not fail; a plugin that throws anyway is stopped regardless.
  }
}

void Plugin::on_event(const prowl_role_event& event) const noexcept {
  if (kind() != PROWL_KIND_ROLE || !started_.load()) return;
  const auto* v = static_cast<const prowl_role_vtable*>(vtable_);
  if (v->on_event == nullptr) return;
  call_plugin([&] { v->on_event(self_, &event); });
}

}  // namespace prowl::plugins
