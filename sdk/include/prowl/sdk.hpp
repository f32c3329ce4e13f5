// prowl/sdk.hpp: the C++ wrappers over the plugin ABI 2, header-only, one
// header per service group (prowl/cpp/*.hpp), all included here.
//
// An author derives from prowl::Codec, CodonEncoder, Role or Hunt, gives the
// class a constructor taking prowl::Host&, builds the services it uses from
// that Host (prowl::Net, Dht, Pubsub, Howls) and declares the library's
// plugins in one line:
//
//   PROWL_PLUGIN(MyCodec, "my-codec", "1.0.0", "What it does");
//   PROWL_PLUGIN_LIBRARY(prowl::plugin<A>("a", "1.0.0", "..."), prowl::plugin<B>("b", "1.0.0", "..."));
//
// Exceptions thrown by plugin code never cross the boundary: they become a
// prowl_status and a message. Threads: see prowl/plugin.h; role and hunt
// methods and every handler run on the host's event loop and must not block
// it; the service calls may be made from any thread.
#ifndef PROWL_SDK_HPP_
#define PROWL_SDK_HPP_

#include <prowl/cpp/codec.hpp>
#include <prowl/cpp/codon.hpp>
#include <prowl/cpp/core.hpp>
#include <prowl/cpp/dht.hpp>
#include <prowl/cpp/howl.hpp>
#include <prowl/cpp/library.hpp>
#include <prowl/cpp/net.hpp>
#include <prowl/cpp/pubsub.hpp>
#include <prowl/cpp/role.hpp>

/// Declares the library's plugins (prowl::plugin<T>(name, version,
/// description), 1 to PROWL_MAX_PLUGINS of them): the manifest (constant
/// data in its own ELF section) and the entry point that registers them.
#define PROWL_PLUGIN_LIBRARY(...)                                                                        \
  namespace {                                                                                            \
  constexpr ::prowl::detail::PluginDecl prowl_plugin_decls_[] = {__VA_ARGS__};                           \
  }                                                                                                      \
  extern "C" PROWL_EXPORT PROWL_MANIFEST_ATTRIBUTES constinit const                                    \
      prowl_manifest prowl_plugin_manifest = ::prowl::detail::manifest_of(prowl_plugin_decls_);          \
  extern "C" PROWL_EXPORT int32_t prowl_plugin_entry(prowl_host* host, prowl_get_proc_fn get_proc,       \
                                                     prowl_error* err) {                                 \
    return ::prowl::detail::entry(prowl_plugin_decls_, host, get_proc, err);                             \
  }

/// Declares a library of one plugin, CLASS, with its manifest texts.
#define PROWL_PLUGIN(CLASS, NAME, VERSION, DESCRIPTION) \
  PROWL_PLUGIN_LIBRARY(::prowl::plugin<CLASS>(NAME, VERSION, DESCRIPTION))

#endif  // PROWL_SDK_HPP_
