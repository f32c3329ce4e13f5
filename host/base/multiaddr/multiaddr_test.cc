#include "host/base/multiaddr/multiaddr.h"

#include <gtest/gtest.h>

#include "host/base/encoding/base58.h"
#include "host/base/encoding/hex.h"

namespace prowl::multiaddr {
namespace {

constexpr std::string_view kPeer = "QmcgpsyWgH8Y8ajJz1Cu72KnS5uo2Aa2LpzU7kinSupNKC";
constexpr std::string_view kEdPeer = "12D3KooWD3eckifWpRn9wQpMG9R9hX3sD158z7EqHWmweQAJU5SA";

std::string error_of_text(std::string_view text) {
  std::string error;
  EXPECT_FALSE(Multiaddr::parse(text, &error).has_value()) << text;
  return error;
}

std::string error_of_hex(std::string_view hex) {
  std::string error;
  EXPECT_FALSE(Multiaddr::from_bytes(*encoding::hex_decode(hex), &error).has_value()) << hex;
  return error;
}

Multiaddr must_parse(std::string_view text) {
  std::string error;
  auto ma = Multiaddr::parse(text, &error);
  EXPECT_TRUE(ma.has_value()) << text << ": " << error;
  return ma.value_or(Multiaddr());
}

TEST(Multiaddr, KnownBinaryVectors) {
  const std::pair<std::string_view, std::string_view> vectors[] = {
      {"/ip4/127.0.0.1/tcp/4001", "047f000001060fa1"},
      {"/ip4/127.0.0.1/udp/1234", "047f000001910204d2"},
      {"/ip4/127.0.0.1/tcp/4001/ws", "047f000001060fa1dd03"},
      {"/ip6/::1/tcp/80", "2900000000000000000000000000000001060050"},
      {"/dns4/example.com/tcp/443/wss", "360b6578616d706c652e636f6d0601bbde03"},
      {"/p2p/QmcgpsyWgH8Y8ajJz1Cu72KnS5uo2Aa2LpzU7kinSupNKC",
       "a503221220d52ebb89d85b02a284948203a62ff28389c57c9f42beec4ec20db76a68911c0b"},
      {"/ip4/1.2.3.4/udp/4001/quic-v1", "040102030491020fa1cd03"},
  };
  for (const auto& [text, hex] : vectors) {
    const Multiaddr ma = must_parse(text);
    EXPECT_EQ(encoding::hex_encode(ma.bytes()), hex) << text;
    EXPECT_EQ(ma.to_string(), text);
    auto back = Multiaddr::from_bytes(*encoding::hex_decode(hex));
    ASSERT_TRUE(back.has_value()) << hex;
    EXPECT_EQ(*back, ma);
  }
}

TEST(Multiaddr, CanonicalisesTextForms) {
  EXPECT_EQ(must_parse("/ip6/0:0:0:0:0:0:0:1/tcp/01").to_string(), "/ip6/::1/tcp/1");
  EXPECT_EQ(must_parse("/ip6/2001:DB8::A/tcp/1").to_string(), "/ip6/2001:db8::a/tcp/1");
  EXPECT_EQ(must_parse("/ipfs/" + std::string(kPeer)).to_string(), "/p2p/" + std::string(kPeer));
  EXPECT_EQ(must_parse("/ip4/1.2.3.4/").to_string(), "/ip4/1.2.3.4");
  EXPECT_EQ(must_parse("/ip4/1.2.3.4/tcp/1/p2p/" + std::string(kEdPeer) + "/p2p-circuit")
                .components()
                .size(),
            4u);
}

TEST(Multiaddr, TextErrorsSayWhatIsWrong) {
  EXPECT_EQ(error_of_text("/ip4/1.2.3/tcp/1"), "/ip4/1.2.3/tcp/1: invalid IPv4 address '1.2.3'");
  EXPECT_EQ(error_of_text("/foo/1"), "/foo/1: unknown protocol 'foo'");
  EXPECT_EQ(error_of_text("/ip4/1.2.3.4/tcp/70000"),
            "/ip4/1.2.3.4/tcp/70000: port 70000 out of range");
  EXPECT_EQ(error_of_text("/ip4/1.2.3.4/tcp"), "/ip4/1.2.3.4/tcp: missing value for /tcp");
  EXPECT_EQ(error_of_text("/ip4/1.2.3.4/tcp/"), "/ip4/1.2.3.4/tcp/: missing value for /tcp");
  EXPECT_EQ(error_of_text("/ip4//tcp/1"), "/ip4//tcp/1: missing value for /ip4");
  EXPECT_EQ(error_of_text("/ip4/1.2.3.4//tcp/1"),
            "/ip4/1.2.3.4//tcp/1: empty protocol name at offset 13");
  EXPECT_EQ(error_of_text("/tcp/-1"), "/tcp/-1: invalid /tcp port '-1'");
  EXPECT_EQ(error_of_text("/ip6/1.2.3.4"), "/ip6/1.2.3.4: invalid IPv6 address '1.2.3.4'");
  EXPECT_EQ(error_of_text("ip4/1.2.3.4"), "ip4/1.2.3.4: multiaddr must start with '/'");
  EXPECT_EQ(error_of_text(""), ": empty multiaddr");
  EXPECT_EQ(error_of_text("/"), "/: empty multiaddr");
  EXPECT_EQ(error_of_text("/p2p/Qm0"),
            "/p2p/Qm0: invalid peer id 'Qm0': invalid base58 character at position 2");
  EXPECT_EQ(error_of_text("/p2p/Qm"),
            "/p2p/Qm: invalid peer id 'Qm': peer id multihash declares a 98-byte digest but holds "
            "0");
  auto short_peer = *encoding::base58_decode(kPeer);
  short_peer.pop_back();
  EXPECT_NE(error_of_text("/p2p/" + encoding::base58_encode(short_peer))
                .find("declares a 32-byte digest but holds 31"),
            std::string::npos);
  EXPECT_EQ(error_of_text(std::string(kMaxTextBytes + 1, '/')),
            "multiaddr text is 6145 bytes, limit 6144");
  std::string circuits;
  for (size_t i = 0; i < kMaxBytes / 2; ++i) circuits += "/p2p-circuit";
  EXPECT_EQ(circuits.size(), kMaxTextBytes);
  EXPECT_EQ(must_parse(circuits).bytes().size(), kMaxBytes);
  std::string big;
  for (int i = 0; i < 5; ++i) big += "/dns/" + std::string(250, 'a');
  EXPECT_NE(error_of_text(big).find("binary form exceeds 1024 bytes"), std::string::npos);
  EXPECT_NE(error_of_text("/dns/" + std::string(256, 'a')).find("longer than 255"),
            std::string::npos);
}

TEST(Multiaddr, BinaryErrorsNameTheByte) {
  EXPECT_EQ(error_of_hex(""), "multiaddr byte 0: empty multiaddr");
  EXPECT_EQ(error_of_hex("047f000001060f"),
            "multiaddr byte 6: truncated /tcp value (needs 2 bytes, 1 left)");
  EXPECT_EQ(error_of_hex("047f000001e707"), "multiaddr byte 5: unknown protocol code 999");
  EXPECT_EQ(error_of_hex("8400"),
            "multiaddr byte 0: invalid protocol code: varint is not minimally encoded");
  EXPECT_EQ(error_of_hex("047f00000106"),
            "multiaddr byte 6: truncated /tcp value (needs 2 bytes, 0 left)");
  EXPECT_EQ(error_of_hex("3580"), "multiaddr byte 1: invalid /dns value length: truncated varint");
  EXPECT_EQ(error_of_hex("3503612f62"),
            "multiaddr byte 2: /dns name has a byte that is not printable ASCII (or is '/') at 1");
  EXPECT_EQ(error_of_hex("a5030412200102"),
            "multiaddr byte 3: peer id multihash declares a 32-byte digest but holds 2");
  EXPECT_EQ(error_of_hex("3500"), "multiaddr byte 2: empty /dns name");
  std::string error;
  EXPECT_FALSE(Multiaddr::from_bytes(std::vector<uint8_t>(kMaxBytes + 1, 0xdd), &error));
  EXPECT_EQ(error, "binary multiaddr is 1025 bytes, limit 1024");
}

TEST(Multiaddr, TcpEndpointAndWebsocket) {
  auto ep = must_parse("/ip6/::1/tcp/4001/ws").tcp_endpoint();
  ASSERT_TRUE(ep.has_value());
  EXPECT_EQ(ep->host_protocol, kIp6);
  EXPECT_EQ(ep->host, "::1");
  EXPECT_EQ(ep->port, 4001);
  EXPECT_TRUE(must_parse("/ip6/::1/tcp/4001/ws").is_websocket());
  EXPECT_FALSE(must_parse("/ip6/::1/tcp/4001/ws").is_secure_websocket());
  EXPECT_TRUE(must_parse("/dns/example.com/tcp/443/wss").is_secure_websocket());

  ep = must_parse("/dns4/example.com/tcp/65535").tcp_endpoint();
  ASSERT_TRUE(ep.has_value());
  EXPECT_EQ(ep->host, "example.com");
  EXPECT_EQ(ep->port, 65535);
  EXPECT_FALSE(must_parse("/dns4/example.com/tcp/65535").is_websocket());

  EXPECT_FALSE(must_parse("/ip4/1.2.3.4/udp/1/quic-v1").tcp_endpoint().has_value());
  EXPECT_FALSE(must_parse("/tcp/1/ip4/1.2.3.4").tcp_endpoint().has_value());
  EXPECT_FALSE(must_parse("/ip4/1.2.3.4/udp/1/ws").is_websocket());
}

TEST(Multiaddr, PeerHelpers) {
  const auto peer = *encoding::base58_decode(kEdPeer);
  const Multiaddr base = must_parse("/ip4/127.0.0.1/tcp/4001");
  EXPECT_FALSE(base.peer_id_bytes().has_value());

  auto with = base.with_peer(peer);
  ASSERT_TRUE(with.has_value());
  EXPECT_EQ(with->to_string(), "/ip4/127.0.0.1/tcp/4001/p2p/" + std::string(kEdPeer));
  EXPECT_EQ(with->peer_id_bytes(), peer);
  EXPECT_EQ(with->without_peer(), base);

  const auto other = *encoding::base58_decode(kPeer);
  auto replaced = with->with_peer(other);
  ASSERT_TRUE(replaced.has_value());
  EXPECT_EQ(replaced->to_string(), "/ip4/127.0.0.1/tcp/4001/p2p/" + std::string(kPeer));

  std::string error;
  const uint8_t not_multihash[] = {0x12, 0x20, 0x01};
  EXPECT_FALSE(base.with_peer(not_multihash, &error).has_value());
  EXPECT_EQ(error,
            "multiaddr component 2: peer id multihash declares a 32-byte digest but holds 1");
  EXPECT_EQ(base.without_peer(), base);
}

TEST(Multiaddr, EncapsulateAndDecapsulate) {
  const Multiaddr a = must_parse("/ip4/1.2.3.4/tcp/1");
  const Multiaddr ws = must_parse("/ws");
  auto both = a.encapsulate(ws);
  ASSERT_TRUE(both.has_value());
  EXPECT_EQ(both->to_string(), "/ip4/1.2.3.4/tcp/1/ws");
  EXPECT_EQ(both->decapsulate(ws), a);
  EXPECT_EQ(both->decapsulate(must_parse("/tcp/1")), must_parse("/ip4/1.2.3.4"));
  EXPECT_EQ(both->decapsulate(must_parse("/tcp/2")), *both);
  EXPECT_TRUE(both->decapsulate(*both).empty());
  EXPECT_EQ(both->decapsulate(Multiaddr()), *both);
  EXPECT_EQ(a.encapsulate(Multiaddr()), a);

  // The last occurrence is the one removed.
  const Multiaddr twice = must_parse("/ip4/1.2.3.4/ws/tcp/1/ws/tcp/2");
  EXPECT_EQ(twice.decapsulate(ws).to_string(), "/ip4/1.2.3.4/ws/tcp/1");

  const Multiaddr part = must_parse("/dns/" + std::string(250, 'a'));  // 253 bytes
  Multiaddr four = part;
  for (int i = 0; i < 3; ++i) four = *four.encapsulate(part);
  EXPECT_EQ(four.bytes().size(), 1012u);
  std::string error;
  EXPECT_FALSE(four.encapsulate(part, &error).has_value());
  EXPECT_EQ(error, "multiaddr binary form exceeds 1024 bytes");
}

TEST(Multiaddr, FromComponentsValidates) {
  std::string error;
  EXPECT_FALSE(Multiaddr::from_components({{kTcp, {1}}}, &error).has_value());
  EXPECT_EQ(error, "multiaddr component 0: /tcp value must be 2 bytes, not 1");
  EXPECT_FALSE(Multiaddr::from_components({{12345, {}}}, &error).has_value());
  EXPECT_EQ(error, "multiaddr component 0: unknown protocol code 12345");
  EXPECT_FALSE(Multiaddr::from_components({}, &error).has_value());
  auto ok = Multiaddr::from_components({{kIp4, {10, 0, 0, 1}}, {kTcp, {0x1f, 0x90}}}, &error);
  ASSERT_TRUE(ok.has_value());
  EXPECT_EQ(ok->to_string(), "/ip4/10.0.0.1/tcp/8080");
}

}  // namespace
}  // namespace prowl::multiaddr
