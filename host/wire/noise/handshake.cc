#include "host/wire/noise/handshake.h"

#include <algorithm>
#include <array>
#include <stdexcept>
#include <string_view>

#include "host/wire/noise/frame_decoder.h"
#include "host/wire/noise/handshake_payload.pb.h"

namespace prowl::noise {
namespace {

constexpr std::string_view kStaticKeySignaturePrefix = "noise-libp2p-static-key:";

using SignedStaticKey = std::array<uint8_t, kStaticKeySignaturePrefix.size() + DhKeyPair::kKeyLength>;

// The bytes an identity key signs to vouch for a Noise static key.
SignedStaticKey signed_static_key(const DhKeyPair::Key& static_key) {
  SignedStaticKey message;
  std::copy(kStaticKeySignaturePrefix.begin(), kStaticKeySignaturePrefix.end(), message.begin());
  std::copy(static_key.begin(), static_key.end(), message.begin() + kStaticKeySignaturePrefix.size());
  return message;
}

std::vector<uint8_t> serialize_payload(const identity::KeyPair& identity, const DhKeyPair::Key& static_key,
                                       const Extensions& extensions) {
  pb::NoiseHandshakePayload payload;
  const auto key = identity.public_key().to_protobuf();
  payload.set_identity_key(key.data(), key.size());
  const auto signature = identity.sign(signed_static_key(static_key));
  payload.set_identity_sig(signature.data(), signature.size());
  if (!extensions.webtransport_certhashes.empty() || !extensions.stream_muxers.empty()) {
    auto* ext = payload.mutable_extensions();
    for (const auto& hash : extensions.webtransport_certhashes) {
      ext->add_webtransport_certhashes(hash.data(), hash.size());
    }
    for (const auto& muxer : extensions.stream_muxers) ext->add_stream_muxers(muxer);
  }
  std::vector<uint8_t> out(payload.ByteSizeLong());
  payload.SerializeWithCachedSizesToArray(out.data());
  return out;
}

std::span<const uint8_t> as_bytes(const std::string& s) {
  return {reinterpret_cast<const uint8_t*>(s.data()), s.size()};
}

}  // namespace

Handshake::Handshake(Role role, const identity::KeyPair& identity, Options options)
    : state_(role, DhKeyPair::generate(), DhKeyPair::generate(), {}),
      payload_(serialize_payload(identity, state_.local_static(), options.extensions)),
      expected_remote_(std::move(options.expected_remote)) {}

bool Handshake::write_message(std::vector<uint8_t>& out, std::string* error) {
  if (failed_) {
    *error = "handshake already failed";
    return false;
  }
  const size_t at = out.size();
  out.resize(at + kFrameHeaderLength);
  // Message 1 is sent in clear, so it carries no payload.
  const std::span<const uint8_t> payload = state_.message_index() == 0 ? std::span<const uint8_t>() : payload_;
  if (!state_.write_message(payload, out, error)) {
    out.resize(at);
    failed_ = true;
    return false;
  }
  put_frame_length(out.data() + at, out.size() - at - kFrameHeaderLength);
  return true;
}

bool Handshake::read_message(std::span<const uint8_t> message, std::string* error) {
  if (failed_) {
    *error = "handshake already failed";
    return false;
  }
  const bool first = state_.message_index() == 0;
  std::vector<uint8_t> payload;
  if (!state_.read_message(message, payload, error)) {
    failed_ = true;
    return false;
  }
  // The payload of message 1 is unauthenticated and unused by libp2p.
  if (!first && !accept_payload(payload, error)) {
    failed_ = true;
    return false;
  }
  return true;
}

bool Handshake::accept_payload(std::span<const uint8_t> payload, std::string* error) {
  pb::NoiseHandshakePayload decoded;
  if (!decoded.ParseFromArray(payload.data(), static_cast<int>(payload.size()))) {
    *error = "handshake payload is not a valid NoiseHandshakePayload protobuf";
    return false;
  }
  if (!decoded.has_identity_key()) {
    *error = "handshake payload has no identity_key";
    return false;
  }
  std::string key_error;
  auto key = identity::PublicKey::from_protobuf(as_bytes(decoded.identity_key()), &key_error);
  if (!key) {
    *error = "handshake payload identity_key: " + key_error;
    return false;
  }
  if (!key->verify(signed_static_key(*state_.remote_static()), as_bytes(decoded.identity_sig()))) {
    *error = "identity signature over static key invalid";
    return false;
  }
  auto peer_id = identity::PeerId::from_public_key(*key);
  if (expected_remote_ && *expected_remote_ != peer_id) {
    *error = "remote peer id " + peer_id.to_string() + " does not match expected " + expected_remote_->to_string();
    return false;
  }
  Extensions extensions;
  for (const auto& hash : decoded.extensions().webtransport_certhashes()) {
    extensions.webtransport_certhashes.emplace_back(hash.begin(), hash.end());
  }
  for (const auto& muxer : decoded.extensions().stream_muxers()) extensions.stream_muxers.push_back(muxer);
  remote_.emplace(Remote{std::move(peer_id), *key, std::move(extensions)});
  return true;
}

std::pair<CipherState, CipherState> Handshake::take_cipher_states() {
  if (!is_complete()) throw std::logic_error("noise handshake is not complete");
  if (ciphers_taken_) throw std::logic_error("noise cipher states were already taken");
  ciphers_taken_ = true;
  auto [initiator_to_responder, responder_to_initiator] = state_.split();
  if (role() == Role::kInitiator) return {std::move(initiator_to_responder), std::move(responder_to_initiator)};
  return {std::move(responder_to_initiator), std::move(initiator_to_responder)};
}

}  // namespace prowl::noise
