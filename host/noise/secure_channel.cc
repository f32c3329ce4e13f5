#include "host/noise/secure_channel.h"

#include <algorithm>
#include <utility>

namespace prowl::noise {

SecureChannel::SecureChannel(CipherState send, CipherState receive, FrameDecoder decoder)
    : send_(std::move(send)), receive_(std::move(receive)), decoder_(std::move(decoder)) {}

size_t SecureChannel::sealed_size(size_t plaintext_length) {
  const size_t frames = (plaintext_length + kMaxPlaintextPerFrame - 1) / kMaxPlaintextPerFrame;
  return plaintext_length + frames * (kFrameHeaderLength + Aead::kTagLength);
}

bool SecureChannel::seal(std::span<const uint8_t> plaintext, std::span<uint8_t> out, std::string* error) {
  const uint64_t frames = (plaintext.size() + kMaxPlaintextPerFrame - 1) / kMaxPlaintextPerFrame;
  if (frames > CipherState::kMaxNonce - send_.nonce()) {
    *error = "send nonce exhausted: the channel has carried 2^64-1 messages and must be closed";
    return false;
  }
  while (!plaintext.empty()) {
    const size_t chunk = std::min(plaintext.size(), kMaxPlaintextPerFrame);
    const size_t sealed = chunk + Aead::kTagLength;
    put_frame_length(out.data(), sealed);
    // Cannot fail: the nonce budget for every frame was checked above.
    static_cast<void>(send_.encrypt_with_ad({}, plaintext.first(chunk), out.subspan(kFrameHeaderLength, sealed)));
    plaintext = plaintext.subspan(chunk);
    out = out.subspan(kFrameHeaderLength + sealed);
  }
  return true;
}

bool SecureChannel::encrypt(std::span<const uint8_t> plaintext, std::vector<uint8_t>& out, std::string* error) {
  const size_t at = out.size();
  out.resize(at + sealed_size(plaintext.size()));
  if (!seal(plaintext, std::span(out).subspan(at), error)) {
    out.resize(at);
    return false;
  }
  return true;
}

bool SecureChannel::decrypt(std::span<const uint8_t> in, std::vector<uint8_t>& out, std::string* error) {
  if (receive_failed_) {
    *error = "receive direction already failed";
    return false;
  }
  while (auto frame = decoder_.next(in)) {
    if (frame->size() < Aead::kTagLength) {
      receive_failed_ = true;
      *error = "transport message " + std::to_string(receive_.nonce()) + " has " + std::to_string(frame->size()) +
               " bytes, fewer than the 16-byte authentication tag";
      return false;
    }
    if (receive_.nonce() == CipherState::kMaxNonce) {
      receive_failed_ = true;
      *error = "receive nonce exhausted: the channel has carried 2^64-1 messages and must be closed";
      return false;
    }
    const size_t at = out.size();
    out.resize(at + frame->size() - Aead::kTagLength);
    if (!receive_.decrypt_with_ad({}, *frame, std::span(out).subspan(at))) {
      out.resize(at);
      receive_failed_ = true;
      *error = "transport message " + std::to_string(receive_.nonce()) + " authentication failed";
      return false;
    }
  }
  return true;
}

}  // namespace prowl::noise
