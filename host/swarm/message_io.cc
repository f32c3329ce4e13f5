#include "host/swarm/message_io.h"

#include <string>

#include "host/base/encoding/varint.h"

namespace prowl::swarm {

boost::asio::awaitable<void> write_message(Stream& stream, std::span<const uint8_t> data) {
  std::vector<uint8_t> framed;
  framed.reserve(encoding::varint_size(data.size()) + data.size());
  encoding::append_varint(framed, data.size());
  framed.insert(framed.end(), data.begin(), data.end());
  co_await stream.write(framed);
}

boost::asio::awaitable<std::optional<std::vector<uint8_t>>> read_message(Stream& stream, size_t max_bytes) {
  // The prefix is read a byte at a time so no byte of the next message is consumed.
  uint8_t prefix[encoding::kVarintMaxBytes];
  size_t have = 0;
  for (;;) {
    if (co_await stream.read_some(std::span(prefix + have, 1)) == 0) {
      if (have == 0) co_return std::nullopt;
      throw StreamError("stream " + stream.protocol() + " ended inside a message length prefix");
    }
    ++have;
    const auto length = encoding::decode_varint(std::span<const uint8_t>(prefix, have));
    if (length.status == encoding::VarintResult::Status::kInvalid)
      throw StreamError("stream " + stream.protocol() + ": malformed message length: " + length.error,
                        StatusCode::kInvalidInput);
    if (length.status == encoding::VarintResult::Status::kIncomplete) {
      if (have == encoding::kVarintMaxBytes)
        throw StreamError("stream " + stream.protocol() + ": message length prefix longer than 9 bytes",
                          StatusCode::kInvalidInput);
      continue;
    }
    if (length.value > max_bytes)
      throw StreamError("stream " + stream.protocol() + ": message of " + std::to_string(length.value) +
                            " bytes exceeds the limit of " + std::to_string(max_bytes),
                        StatusCode::kLimit);
    std::vector<uint8_t> message(static_cast<size_t>(length.value));
    co_await stream.read_exact(message);
    co_return message;
  }
}

}  // namespace prowl::swarm
