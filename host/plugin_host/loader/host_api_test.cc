#include "host/plugin_host/loader/host_api.h"

#include <gtest/gtest.h>

#include <cstring>

#include <prowl/dht.h>
#include <prowl/howl.h>
#include <prowl/net.h>
#include <prowl/pubsub.h>

namespace prowl::plugins {
namespace {

// Every name the SDK headers declare resolves; the header of each says its typedef.
TEST(HostApiTest, EveryDeclaredNameResolves) {
  for (const char* name :
       {"prowl_register_plugin", "prowl_log", "prowl_config_get", "prowl_codec_compress", "prowl_codec_decompress",
        "prowl_codec_name", "prowl_local_peer_id", "prowl_connected_peers", "prowl_stream_listen",
        "prowl_stream_open", "prowl_stream_write", "prowl_stream_close_write", "prowl_stream_reset",
        "prowl_rr_serve", "prowl_rr_respond", "prowl_rr_fail", "prowl_rr_request", "prowl_dht_put",
        "prowl_dht_get", "prowl_dht_provide", "prowl_dht_find_providers", "prowl_dht_find_peer",
        "prowl_dht_closest_peers", "prowl_pubsub_subscribe", "prowl_pubsub_unsubscribe", "prowl_pubsub_publish",
        "prowl_pubsub_validate", "prowl_howl_send", "prowl_howl_subscribe", "prowl_howl_unsubscribe",
        "prowl_howl_counts"}) {
    EXPECT_NE(get_proc(name), nullptr) << name;
  }
}

TEST(HostApiTest, UnknownNamesAreNull) {
  EXPECT_EQ(get_proc("prowl_no_such_function"), nullptr);
  EXPECT_EQ(get_proc("prowl_log2"), nullptr);
  EXPECT_EQ(get_proc(""), nullptr);
  EXPECT_EQ(get_proc(nullptr), nullptr);
}

TEST(HostApiTest, ADetachedContextFailsSoftly) {
  // A context no registry routes: calls fail with a status, never crash.
  PluginContext context("lonely", PROWL_KIND_ROLE);
  auto publish = reinterpret_cast<prowl_pubsub_publish_fn>(get_proc("prowl_pubsub_publish"));
  prowl_error err{};
  EXPECT_EQ(publish(context.handle(), "t", reinterpret_cast<const uint8_t*>("x"), 1, &err), PROWL_ERR_UNSUPPORTED);
  EXPECT_STREQ(err.message, "pubsub_publish: no host registry is attached");
  auto config = reinterpret_cast<prowl_config_get_fn>(get_proc("prowl_config_get"));
  char buf[8];
  EXPECT_EQ(config(context.handle(), "key", buf, sizeof buf), -1);
  auto register_plugin = reinterpret_cast<prowl_register_plugin_fn>(get_proc("prowl_register_plugin"));
  EXPECT_EQ(register_plugin(nullptr, nullptr, &err), PROWL_ERR_INVALID_INPUT);
}

}  // namespace
}  // namespace prowl::plugins

namespace prowl::plugins {
namespace {

bool subscription_ended = false;

// A role whose start registers something in its context, then fails.
int32_t start_then_fail(void* self, prowl_error* err) {
  auto& context = *static_cast<PluginContext*>(self);
  context.registrations().add(RegistrationKind::kSubscription, 8, [](uint64_t) { subscription_ended = true; });
  std::strcpy(err->message, "no prey");
  return PROWL_ERR_NOT_FOUND;
}
void stop_nothing(void*) {}

TEST(PluginTest, AFailedStartEndsWhatItRegistered) {
  PluginContext context("failing-role", PROWL_KIND_ROLE);
  const prowl_role_vtable vtable{sizeof(prowl_role_vtable), &start_then_fail, &stop_nothing, nullptr};
  Manifest manifest;
  manifest.name = "failing-role";
  manifest.kind = PROWL_KIND_ROLE;
  const Plugin plugin(manifest, "prowl-failing.so", context, &vtable, &context, nullptr);
  const CallResult started = plugin.start();
  EXPECT_EQ(started.status, PROWL_ERR_NOT_FOUND);
  EXPECT_EQ(started.message, "plugin 'failing-role' failed (not found): no prey");
  EXPECT_EQ(context.registrations().count(RegistrationKind::kSubscription), 0u);
  EXPECT_TRUE(subscription_ended);
}

}  // namespace
}  // namespace prowl::plugins
