#include "host/wire/noise/secure_channel.h"

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

bool SecureChannel::check_frame(size_t size, std::string* error) {
  if (size < Aead::kTagLength) {
    receive_failed_ = true;
    *error = "transport message " + std::to_string(receive_.nonce()) + " has " + std::to_string(size) +
             " bytes, fewer than the 16-byte authentication tag";
    return false;
  }
  if (receive_.nonce() == CipherState::kMaxNonce) {
    receive_failed_ = true;
    *error = "receive nonce exhausted: the channel has carried 2^64-1 messages and must be closed";
    return false;
  }
  return true;
}

bool SecureChannel::authentication_failed(std::string* error) {
  receive_failed_ = true;
  *error = "transport message " + std::to_string(receive_.nonce()) + " authentication failed";
  return false;
}

bool SecureChannel::open_frame(std::span<const uint8_t> frame, std::span<uint8_t> out, std::string* error) {
  if (!check_frame(frame.size(), error)) return false;
  return receive_.decrypt_with_ad({}, frame, out) || authentication_failed(error);
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
  const Begun begun = begin_open(in, error);
  if (begun.status != Opened::Status::kPlaintext) return {begun.status, {}};
  open_part(begun.ciphertext, begun.ciphertext);
  if (!finish_open(error)) return {Opened::Status::kFailed, {}};
  return {Opened::Status::kPlaintext, begun.ciphertext};
}

SecureChannel::Begun SecureChannel::begin_open(std::span<uint8_t>& in, std::string* error) {
  if (receive_failed_) {
    *error = "receive direction already failed";
    return {Opened::Status::kFailed, {}};
  }
  const auto frame = decoder_.next_in_place(in);
  if (!frame) return {Opened::Status::kNeedMore, {}};
  if (!check_frame(frame->size(), error)) return {Opened::Status::kFailed, {}};
  // Cannot fail: check_frame() saw nonces left.
  static_cast<void>(receive_.begin_decrypt({}));
  const size_t body = frame->size() - Aead::kTagLength;
  tag_ = frame->subspan(body);
  return {Opened::Status::kPlaintext, frame->first(body)};
}

void SecureChannel::open_part(std::span<const uint8_t> ciphertext, std::span<uint8_t> out) {
  receive_.decrypt_part(ciphertext, out);
}

bool SecureChannel::finish_open(std::string* error) {
  return receive_.finish_decrypt(tag_.first<Aead::kTagLength>()) || authentication_failed(error);
}

}  // namespace prowl::noise
