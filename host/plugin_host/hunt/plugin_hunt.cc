#include "host/plugin_host/hunt/plugin_hunt.h"

#include <prowl/cpp/core.hpp>

#include <fstream>
#include <string>

#include "host/wire/task/message.h"

namespace prowl::plugins {
namespace {

Status status_of(const CallResult& r) {
  if (r.ok()) return Status::Ok();
  const auto code = status_code_from_int(r.status);
  return Status(code && *code != StatusCode::kOk ? *code : StatusCode::kInternal, r.message);
}

compute::HuntType type_of(prowl_hunt_type type) {
  switch (type) {
    case PROWL_HUNT_DISCOVERY: return compute::HuntType::kDiscovery;
    case PROWL_HUNT_SECURITY: return compute::HuntType::kSecurity;
    case PROWL_HUNT_INTELLIGENCE: return compute::HuntType::kIntelligence;
    case PROWL_HUNT_RESOURCE: break;
  }
  return compute::HuntType::kResource;
}

}  // namespace

PluginHunt::PluginHunt(const Plugin& plugin, const std::array<uint8_t, 32>& library_sha256) : plugin_(plugin) {
  info_.name = plugin.name();
  info_.version = plugin.manifest().version;
  info_.library_sha256 = library_sha256;
  info_.type = type_of(plugin.hunt_type());
  info_.has_check = plugin.checks();
}

Status PluginHunt::plan(std::string_view params, const std::filesystem::path& input, const compute::EmitTask& emit) {
  std::ifstream file;
  uint64_t size = 0;
  if (!input.empty()) {
    file.open(input, std::ios::binary | std::ios::ate);
    if (!file) return Status::NotFound("cannot read the input file " + input.string());
    size = static_cast<uint64_t>(file.tellg());
    file.seekg(0);
  }
  struct State {
    std::ifstream* file;
    const compute::EmitTask* emit;
    size_t emitted = 0;
  } state{&file, &emit};
  prowl_input in{};
  in.ctx = &state;
  in.size = size;
  in.read = [](void* ctx, uint8_t* buf, size_t cap, size_t* got, prowl_error* err) -> int32_t {
    auto* s = static_cast<State*>(ctx);
    *got = 0;
    if (!s->file->is_open()) return PROWL_OK;
    s->file->read(reinterpret_cast<char*>(buf), static_cast<std::streamsize>(cap));
    *got = static_cast<size_t>(s->file->gcount());
    if (s->file->bad()) {
      detail::copy_text(err->message, sizeof err->message, "reading the input file failed");
      return PROWL_ERR_INTERNAL;
    }
    return PROWL_OK;
  };
  prowl_task_sink sink{};
  sink.ctx = &state;
  sink.emit = [](void* ctx, const uint8_t* task, size_t len, prowl_error* err) -> int32_t {
    auto* s = static_cast<State*>(ctx);
    if (++s->emitted > kMaxPlannedTasks) {
      detail::copy_text(err->message, sizeof err->message,
                        ("a job has at most " + std::to_string(kMaxPlannedTasks) + " tasks").c_str());
      return PROWL_ERR_LIMIT;
    }
    const Status st = (*s->emit)(std::vector<uint8_t>(task, task + len));
    if (st.ok()) return PROWL_OK;
    detail::copy_text(err->message, sizeof err->message, st.message());
    return static_cast<int32_t>(st.code());
  };
  const std::string p(params);
  return status_of(plugin_.plan(p.c_str(), in, sink));
}

Status PluginHunt::run(std::string_view params, std::span<const uint8_t> task, compute::TaskContext& ctx) {
  prowl_task_control control{};
  control.ctx = &ctx;
  control.should_stop = [](void* c) -> int32_t { return static_cast<compute::TaskContext*>(c)->should_stop() ? 1 : 0; };
  VectorWriter out(ctx.output_limit());
  const std::string p(params);
  if (Status s = status_of(plugin_.run(p.c_str(), task, control, out.writer())); !s.ok()) return s;
  const std::vector<uint8_t> bytes = out.take();
  ctx.write(bytes);
  return Status::Ok();
}

Status PluginHunt::check(std::string_view params, std::span<const uint8_t> task, std::span<const uint8_t> result) {
  if (!info_.has_check) return Status::Unsupported(info_.name + " has no check");
  const std::string p(params);
  return status_of(plugin_.check(p.c_str(), task, result));
}

Status PluginHunt::merge(std::string_view params, const std::vector<std::vector<uint8_t>>& results,
                         compute::TaskContext& ctx) {
  prowl_results r{};
  r.ctx = const_cast<std::vector<std::vector<uint8_t>>*>(&results);
  r.count = results.size();
  r.get = [](void* c, size_t index, const uint8_t** data, size_t* len) {
    const auto& all = *static_cast<const std::vector<std::vector<uint8_t>>*>(c);
    *data = all[index].data();
    *len = all[index].size();
  };
  VectorWriter out(ctx.output_limit());
  const std::string p(params);
  if (Status s = status_of(plugin_.merge(p.c_str(), r, out.writer())); !s.ok()) return s;
  ctx.write(out.take());
  return Status::Ok();
}

Status add_plugin_hunts(const Registry& registry, compute::HuntCatalog& catalog) {
  for (const Plugin* plugin : registry.plugins(PROWL_KIND_HUNT)) {
    if (!plugin->computes()) continue;
    task::Digest hash{};
    if (Status s = task::digest_file(plugin->file(), &hash); !s.ok()) return s.with_context("hunt " + plugin->name());
    if (Status s = catalog.add(std::make_shared<PluginHunt>(*plugin, hash)); !s.ok()) return s;
  }
  return Status::Ok();
}

}  // namespace prowl::plugins
