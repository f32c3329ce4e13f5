// The lz4 codec plugin.
#include <prowl/sdk.hpp>

#include "plugins/codecs/common/hosted.h"
#include "plugins/codecs/lz4/lz4_codec.h"

PROWL_PLUGIN(prowl::codecs::Hosted<prowl::codecs::Lz4Codec>, "lz4", "1.0.0",
             "LZ4 blocks (liblz4); levels -65537..12: <0 faster, 3..12 HC, 0 = default");
