#include "host/wire/noise/handshake_state.h"

#include <algorithm>

namespace prowl::noise {
namespace {

constexpr size_t kDhLength = DhKeyPair::kKeyLength;
constexpr size_t kTag = Aead::kTagLength;

// Bytes each XX message carries besides the payload: message 1 sends e in
// clear and no key exists yet; message 2 sends e, then s and the payload
// encrypted; message 3 sends s and the payload encrypted.
constexpr size_t kFixedLength[HandshakeState::kMessageCount] = {kDhLength, kDhLength + kDhLength + kTag + kTag,
                                                                kDhLength + kTag + kTag};

}  // namespace

std::span<const HandshakeState::Token> HandshakeState::pattern(size_t index) {
  static constexpr Token kMessage1[] = {Token::kE};
  static constexpr Token kMessage2[] = {Token::kE, Token::kEE, Token::kS, Token::kES};
  static constexpr Token kMessage3[] = {Token::kS, Token::kSE};
  static constexpr std::span<const Token> kPattern[kMessageCount] = {kMessage1, kMessage2, kMessage3};
  return kPattern[index];
}

HandshakeState::HandshakeState(Role role, const DhKeyPair& static_key, const DhKeyPair& ephemeral_key,
                               std::span<const uint8_t> prologue)
    : role_(role), static_(static_key), ephemeral_(ephemeral_key), symmetric_(kProtocolName) {
  symmetric_.mix_hash(prologue);
}

size_t HandshakeState::max_payload_length() const {
  return finished() ? 0 : kMaxMessageLength - kFixedLength[index_];
}

bool HandshakeState::fail(std::string* error, std::string message) {
  failed_ = true;
  *error = std::move(message);
  return false;
}

bool HandshakeState::mix_dh(Token token, std::string* error) {
  const bool initiator = role_ == Role::kInitiator;
  std::optional<DhKeyPair::Key> shared;
  switch (token) {
    case Token::kEE:
      shared = ephemeral_.dh(*remote_ephemeral_);
      break;
    case Token::kES:
      shared = initiator ? ephemeral_.dh(*remote_static_) : static_.dh(*remote_ephemeral_);
      break;
    case Token::kSE:
      shared = initiator ? static_.dh(*remote_ephemeral_) : ephemeral_.dh(*remote_static_);
      break;
    case Token::kE:
    case Token::kS:
      break;
  }
  if (!shared) return fail(error, "remote X25519 key is a low-order point (all-zero shared secret)");
  symmetric_.mix_key(*shared);
  std::fill(shared->begin(), shared->end(), uint8_t{0});
  return true;
}

bool HandshakeState::write_message(std::span<const uint8_t> payload, std::vector<uint8_t>& out,
                                   std::string* error) {
  if (failed_) return fail(error, "handshake already failed");
  if (!is_my_turn()) {
    return fail(error, finished() ? "handshake already finished" : "not our turn to write a handshake message");
  }
  if (payload.size() > max_payload_length()) {
    return fail(error, "handshake payload of " + std::to_string(payload.size()) + " bytes exceeds the " +
                           std::to_string(max_payload_length()) + "-byte limit of message " +
                           std::to_string(index_ + 1));
  }
  auto encrypt_into_out = [&](std::span<const uint8_t> plaintext) {
    const size_t at = out.size();
    out.resize(at + plaintext.size() + symmetric_.overhead());
    return symmetric_.encrypt_and_hash(plaintext, std::span(out).subspan(at));
  };
  for (Token token : pattern(index_)) {
    if (token == Token::kE) {
      const auto& e = ephemeral_.public_key();
      out.insert(out.end(), e.begin(), e.end());
      symmetric_.mix_hash(e);
    } else if (token == Token::kS) {
      if (!encrypt_into_out(static_.public_key())) return fail(error, "handshake nonce exhausted");
    } else if (!mix_dh(token, error)) {
      return false;
    }
  }
  if (!encrypt_into_out(payload)) return fail(error, "handshake nonce exhausted");
  ++index_;
  return true;
}

bool HandshakeState::read_message(std::span<const uint8_t> message, std::vector<uint8_t>& payload,
                                  std::string* error) {
  if (failed_) return fail(error, "handshake already failed");
  if (finished() || is_my_turn()) {
    return fail(error, finished() ? "handshake already finished" : "not our turn to read a handshake message");
  }
  const std::string which = "handshake message " + std::to_string(index_ + 1);
  if (message.size() < kFixedLength[index_] || message.size() > kMaxMessageLength) {
    return fail(error, which + " has " + std::to_string(message.size()) + " bytes; expected " +
                           std::to_string(kFixedLength[index_]) + " to " + std::to_string(kMaxMessageLength));
  }
  for (Token token : pattern(index_)) {
    if (token == Token::kE) {
      DhKeyPair::Key re;
      std::copy_n(message.begin(), re.size(), re.begin());
      message = message.subspan(re.size());
      symmetric_.mix_hash(re);
      remote_ephemeral_ = re;
    } else if (token == Token::kS) {
      const size_t length = kDhLength + symmetric_.overhead();
      DhKeyPair::Key rs;
      if (!symmetric_.decrypt_and_hash(message.first(length), rs)) {
        return fail(error, "handshake message authentication failed (" + which + " static key)");
      }
      message = message.subspan(length);
      remote_static_ = rs;
    } else if (!mix_dh(token, error)) {
      return false;
    }
  }
  payload.resize(message.size() - symmetric_.overhead());
  if (!symmetric_.decrypt_and_hash(message, payload)) {
    payload.clear();
    return fail(error, "handshake message authentication failed (" + which + " payload)");
  }
  ++index_;
  return true;
}

std::pair<CipherState, CipherState> HandshakeState::split() const { return symmetric_.split(); }

}  // namespace prowl::noise
