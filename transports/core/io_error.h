// Transport failures as exceptions whose what() reads well in a message.
#pragma once

#include <boost/system/error_code.hpp>
#include <boost/system/system_error.hpp>

#include <string>

namespace prowl::transport {

/// Throws boost::system::system_error for `code` with `what` ("tcp read")
/// in front. The code keeps its value and category (callers compare it) but
/// not the source location Asio attaches, whose what() would end in Asio's
/// internal type names ("... at .../reactive_socket_recv_op.hpp:134 in
/// function ...::do_complete(...)"); it reads "tcp read: Connection reset by
/// peer [system:104]".
[[noreturn]] inline void throw_io_error(const boost::system::error_code& code, const std::string& what) {
  throw boost::system::system_error(boost::system::error_code(code.value(), code.category()), what);
}

}  // namespace prowl::transport
