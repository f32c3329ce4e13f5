// Fuzzes the message decoder: the messages it yields, framed again and
// followed by what it still buffers, must give back the input exactly.
#include <algorithm>
#include <cstdlib>

#include "host/wire/multistream/message.h"
#include "host/wire/multistream/message_decoder.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  using namespace prowl::multistream;
  MessageDecoder decoder;
  decoder.feed({data, size});
  std::vector<uint8_t> again;
  MessageDecoder::Result r;
  while ((r = decoder.next()) == MessageDecoder::Result::kMessage) {
    if (decoder.message().empty() || decoder.message().size() >= kMaxMessageBytes) std::abort();
    append_message(again, decoder.message());
  }
  if (r == MessageDecoder::Result::kError) {
    if (decoder.error().empty()) std::abort();
    return 0;
  }
  const auto rest = decoder.take_buffered();
  again.insert(again.end(), rest.begin(), rest.end());
  if (again.size() != size || !std::equal(again.begin(), again.end(), data)) std::abort();
  return 0;
}
