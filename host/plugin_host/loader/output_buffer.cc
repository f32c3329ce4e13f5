#include "host/plugin_host/loader/output_buffer.h"

#include <algorithm>
#include <cstdlib>
#include <cstring>
#include <utility>

namespace prowl::plugins {

OutputBuffer::OutputBuffer(size_t limit) noexcept : limit_(limit) {
  writer_.ctx = this;
  writer_.reserve = &OutputBuffer::reserve_cb;
  writer_.commit = &OutputBuffer::commit_cb;
}

OutputBuffer::~OutputBuffer() { std::free(data_); }

OutputBuffer::OutputBuffer(OutputBuffer&& other) noexcept : OutputBuffer(other.limit_) {
  *this = std::move(other);
}

OutputBuffer& OutputBuffer::operator=(OutputBuffer&& other) noexcept {
  if (this != &other) {
    std::free(data_);
    data_ = std::exchange(other.data_, nullptr);
    size_ = std::exchange(other.size_, 0);
    capacity_ = std::exchange(other.capacity_, 0);
    limit_ = other.limit_;
  }
  return *this;
}

bool OutputBuffer::grow_to(size_t capacity) noexcept {
  if (capacity <= capacity_) return true;
  void* grown = std::realloc(data_, capacity);
  if (grown == nullptr) return false;
  data_ = static_cast<uint8_t*>(grown);
  capacity_ = capacity;
  return true;
}

bool OutputBuffer::reserve(size_t bytes) noexcept {
  const size_t headroom = limit_ - size_;
  return grow_to(size_ + std::min(bytes, headroom));
}

bool OutputBuffer::append(std::span<const uint8_t> bytes) noexcept {
  if (bytes.size() > limit_ - size_ || !grow_to(size_ + bytes.size())) return false;
  if (!bytes.empty()) std::memcpy(data_ + size_, bytes.data(), bytes.size());
  size_ += bytes.size();
  return true;
}

bool OutputBuffer::replace_front(size_t old_size, std::span<const uint8_t> bytes) noexcept {
  const size_t rest = size_ - old_size;
  if (bytes.size() > limit_ - rest || !grow_to(rest + bytes.size())) return false;
  if (bytes.size() != old_size) std::memmove(data_ + bytes.size(), data_ + old_size, rest);
  if (!bytes.empty()) std::memcpy(data_, bytes.data(), bytes.size());
  size_ = rest + bytes.size();
  return true;
}

uint8_t* OutputBuffer::reserve_cb(void* ctx, size_t min_bytes, size_t* room) noexcept {
  auto* self = static_cast<OutputBuffer*>(ctx);
  const size_t headroom = self->limit_ - self->size_;
  if (min_bytes > headroom) return nullptr;
  if (self->capacity_ - self->size_ < min_bytes || self->data_ == nullptr) {
    // Geometric growth keeps appends amortised O(1); never past the limit,
    // but always some allocation so that even a zero-byte reserve gets a
    // valid pointer.
    const size_t doubled = self->capacity_ > SIZE_MAX / 2 ? SIZE_MAX : self->capacity_ * 2;
    const size_t wanted = std::max({self->size_ + min_bytes, doubled, size_t{4096}});
    if (!self->grow_to(std::max(std::min(wanted, self->limit_), size_t{1}))) return nullptr;
  }
  *room = std::min(self->capacity_ - self->size_, headroom);
  return self->data_ + self->size_;
}

void OutputBuffer::commit_cb(void* ctx, size_t n) noexcept {
  auto* self = static_cast<OutputBuffer*>(ctx);
  // A plugin may commit at most the room it was given; clamp a broken one.
  self->size_ += std::min(n, std::min(self->capacity_, self->limit_) - self->size_);
}

}  // namespace prowl::plugins
