// Fuzzes varint decoding: a decoded value must re-encode to the same bytes.
#include <cstdlib>

#include "host/base/encoding/varint.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  using namespace prowl::encoding;
  auto r = decode_varint({data, size});
  if (r.status == VarintResult::Status::kOk) {
    std::vector<uint8_t> again;
    append_varint(again, r.value);
    if (again.size() != r.length || !std::equal(again.begin(), again.end(), data)) std::abort();
  }
  return 0;
}
