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
  const std::span<const uint8_t> parts[] = {plaintext};
  return seal_gather(parts, out, error);
}

bool SecureChannel::seal_gather(std::span<const std::span<const uint8_t>> parts, std::span<uint8_t> out,
                                std::string* error) {
  size_t total = 0;
  for (const auto& part : parts) total += part.size();
  const uint64_t frames = (total + kMaxPlaintextPerFrame - 1) / kMaxPlaintextPerFrame;
  if (frames > CipherState::kMaxNonce - send_.nonce()) {
    *error = "send nonce exhausted: the channel has carried 2^64-1 messages and must be closed";
    return false;
  }
  size_t part = 0;      // parts[part] is the next to seal ...
  size_t part_at = 0;   // ... from this offset
  while (total > 0) {
    const size_t chunk = std::min(total, kMaxPlaintextPerFrame);
    frame_parts_.clear();
    for (size_t need = chunk; need > 0;) {
      const size_t n = std::min(need, parts[part].size() - part_at);
      if (n > 0) frame_parts_.push_back(parts[part].subspan(part_at, n));
      need -= n;
      part_at += n;
      if (part_at == parts[part].size()) {
        ++part;
        part_at = 0;
      }
    }
    const size_t sealed = chunk + Aead::kTagLength;
    put_frame_length(out.data(), sealed);
    // Cannot fail: the nonce budget for every frame was checked above.
    static_cast<void>(send_.encrypt_gather_with_ad({}, frame_parts_, out.subspan(kFrameHeaderLength, sealed)));
    total -= chunk;
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

bool SecureChannel::open_frame(std::span<const uint8_t> frame, std::span<uint8_t> out, std::string* error) {
  if (frame.size() < Aead::kTagLength) {
    receive_failed_ = true;
    *error = "transport message " + std::to_string(receive_.nonce()) + " has " + std::to_string(frame.size()) +
             " bytes, fewer than the 16-byte authentication tag";
    return false;
  }
  if (receive_.nonce() == CipherState::kMaxNonce) {
    receive_failed_ = true;
    *error = "receive nonce exhausted: the channel has carried 2^64-1 messages and must be closed";
    return false;
  }
  if (!receive_.decrypt_with_ad({}, frame, out)) {
    receive_failed_ = true;
    *error = "transport message " + std::to_string(receive_.nonce()) + " authentication failed";
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
    const size_t at = out.size();
    out.resize(at + frame->size() - std::min(frame->size(), Aead::kTagLength));
    if (!open_frame(*frame, std::span(out).subspan(at), error)) {
      out.resize(at);
      return false;
    }
  }
  return true;
}

SecureChannel::Opened SecureChannel::open_next(std::span<uint8_t>& in, std::string* error) {
  if (receive_failed_) {
    *error = "receive direction already failed";
    return {Opened::Status::kFailed, {}};
  }
  const auto frame = decoder_.next_in_place(in);
  if (!frame) return {Opened::Status::kNeedMore, {}};
  if (!open_frame(*frame, *frame, error)) return {Opened::Status::kFailed, {}};
  return {Opened::Status::kPlaintext, frame->first(frame->size() - Aead::kTagLength)};
}

}  // namespace prowl::noise
