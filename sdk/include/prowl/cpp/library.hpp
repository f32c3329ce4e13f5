// prowl/cpp/library.hpp: declares a library's plugins in C++: its manifest
// (constant data, read by the host without running code) and its entry
// (which registers each plugin with its kind's vtable).
//
//   PROWL_PLUGIN_LIBRARY(prowl::plugin<MyCodec>("my-codec", "1.0.0", "What it does"),
//                        prowl::plugin<MyRole>("my-role", "1.0.0", "What it does"));
//   PROWL_PLUGIN(MyCodec, "my-codec", "1.0.0", "What it does");  // one plugin
//
// Each class derives from prowl::Codec, CodonEncoder, Role or Hunt and has
// a constructor taking prowl::Host&. Over-long or bad texts fail to compile.
#ifndef PROWL_CPP_LIBRARY_HPP_
#define PROWL_CPP_LIBRARY_HPP_

#include <prowl/cpp/core.hpp>

#include <atomic>
#include <cstddef>

namespace prowl {
namespace detail {

/// One plugin of a library, as declared: manifest texts and how to register it.
struct PluginDecl {
  uint32_t kind;
  const char* name;
  const char* version;
  const char* description;
  const void* (*vtable)() noexcept;
  int32_t (*create)(prowl_plugin_ctx* ctx, void** self, prowl_error* err);
  void (*destroy)(void* self);
};

/// The host's get_proc, as the entry received it (the same function for the
/// life of the process), for create(), which the host calls inside
/// prowl_register_plugin.
inline std::atomic<prowl_get_proc_fn> host_get_proc{nullptr};

template <class T>
int32_t create(prowl_plugin_ctx* ctx, void** self, prowl_error* err) noexcept {
  return guarded(err, [&] { *self = new Instance<T>(ctx, host_get_proc.load()); });
}

template <class T>
void destroy(void* self) noexcept {
  delete static_cast<Instance<T>*>(self);
}

template <class T>
const void* vtable_of() noexcept {
  return &Trampolines<T>::vtable;
}

template <size_t N>
constexpr void fill(char (&field)[N], const char* text) {
  size_t i = 0;
  for (; text[i] != '\0'; ++i) {
    if (i + 1 >= N) throw "a manifest text is too long for its field";  // not a constant: fails to compile
    field[i] = text[i];
  }
  field[i] = '\0';
}

/// The manifest of the declared plugins, at compile time.
template <size_t N>
constexpr prowl_manifest manifest_of(const PluginDecl (&decls)[N]) {
  static_assert(N >= 1 && N <= PROWL_MAX_PLUGINS, "a library holds 1 to PROWL_MAX_PLUGINS plugins");
  prowl_manifest m{};
  const char magic[] = PROWL_MANIFEST_MAGIC;
  for (size_t i = 0; i < sizeof m.magic; ++i) m.magic[i] = magic[i];
  m.abi_major = PROWL_ABI_MAJOR;
  m.abi_minor = PROWL_ABI_MINOR;
  m.plugin_count = N;
  m.plugin_size = sizeof(prowl_manifest_plugin);
  for (size_t i = 0; i < N; ++i) {
    m.plugins[i].kind = decls[i].kind;
    fill(m.plugins[i].name, decls[i].name);
    fill(m.plugins[i].version, decls[i].version);
    fill(m.plugins[i].description, decls[i].description);
  }
  return m;
}

/// The body of prowl_plugin_entry: registers every declared plugin.
template <size_t N>
int32_t entry(const PluginDecl (&decls)[N], prowl_host* host, prowl_get_proc_fn get_proc, prowl_error* err) noexcept {
  auto register_plugin = PROWL_GET_PROC(get_proc, prowl_register_plugin);
  if (register_plugin == nullptr) {
    copy_text(err->message, sizeof err->message, "the host has no prowl_register_plugin");
    return PROWL_ERR_UNSUPPORTED;
  }
  host_get_proc.store(get_proc);
  for (const PluginDecl& decl : decls) {
    const prowl_plugin_def def{sizeof(prowl_plugin_def), decl.kind, decl.name, decl.vtable(), decl.create,
                               decl.destroy};
    const int32_t rc = register_plugin(host, &def, err);
    if (rc != PROWL_OK) return rc;
  }
  return PROWL_OK;
}

}  // namespace detail

/// Declares plugin class T with its manifest texts.
template <class T>
constexpr detail::PluginDecl plugin(const char* name, const char* version, const char* description) {
  return {detail::Trampolines<T>::kKind, name, version, description, &detail::vtable_of<T>, &detail::create<T>,
          &detail::destroy<T>};
}

}  // namespace prowl

#endif  // PROWL_CPP_LIBRARY_HPP_
