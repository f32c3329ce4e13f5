// The xz codec plugin.
#include <prowl/sdk.hpp>

#include "plugins/codecs/common/hosted.h"
#include "plugins/codecs/xz/xz_codec.h"

PROWL_PLUGIN(prowl::codecs::Hosted<prowl::codecs::XzCodec>, "xz", "1.0.0",
             ".xz streams (liblzma, LZMA2, CRC64); presets 1..9, 0 = default 6");
