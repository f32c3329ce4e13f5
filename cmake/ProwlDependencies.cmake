# Third-party libraries, all from Debian 12 packages (see README "Dependencies").
set(BOOST_DLL_USE_STD_FS ON)
find_package(Boost 1.81 REQUIRED CONFIG)
find_package(Threads REQUIRED)
find_package(PkgConfig REQUIRED)
find_package(spdlog REQUIRED)
find_package(TBB REQUIRED)
find_package(Protobuf REQUIRED)
find_package(CLI11 QUIET CONFIG)
find_package(ZLIB REQUIRED)
find_package(OpenSSL REQUIRED)
pkg_check_modules(SODIUM REQUIRED IMPORTED_TARGET libsodium)
pkg_check_modules(ZSTD REQUIRED IMPORTED_TARGET libzstd)
pkg_check_modules(LZ4 REQUIRED IMPORTED_TARGET liblz4)
pkg_check_modules(LZMA REQUIRED IMPORTED_TARGET liblzma)
pkg_check_modules(BROTLI REQUIRED IMPORTED_TARGET libbrotlienc libbrotlidec)
pkg_check_modules(SQLITE REQUIRED IMPORTED_TARGET sqlite3)
pkg_check_modules(LIBELF REQUIRED IMPORTED_TARGET libelf)
pkg_check_modules(LDNS REQUIRED IMPORTED_TARGET ldns)
if(PROWL_BUILD_TESTS)
  find_package(GTest REQUIRED)
endif()
if(PROWL_BUILD_BENCH)
  find_package(benchmark REQUIRED)
endif()

# RapidJSON and CLI11 are header-only; Debian ships their headers in the default include path.
add_library(prowl_rapidjson INTERFACE)
target_compile_definitions(prowl_rapidjson INTERFACE RAPIDJSON_HAS_STDSTRING=1 RAPIDJSON_NOMEMBERITERATORCLASS=1)
# Clang 19 (the sanitizer and fuzz compiler, see cmake/ProwlSanitizers.cmake)
# rejects RapidJSON 1.1's GenericStringRef::operator=, which assigns a const
# member and was never instantiable (upstream made it private and undefined
# after Tencent/rapidjson#718; no release has that yet). Those builds include
# a copy of Debian's headers with that one line deleted; every other build
# uses Debian's headers as they are.
if(CMAKE_CXX_COMPILER_ID STREQUAL "Clang" AND CMAKE_CXX_COMPILER_VERSION VERSION_GREATER_EQUAL 19)
  find_path(PROWL_RAPIDJSON_INCLUDE_DIR rapidjson/document.h REQUIRED)
  set(fixed ${CMAKE_BINARY_DIR}/rapidjson-clang19)
  file(COPY ${PROWL_RAPIDJSON_INCLUDE_DIR}/rapidjson DESTINATION ${fixed})
  file(READ ${fixed}/rapidjson/document.h text)
  set(bad "GenericStringRef& operator=(const GenericStringRef& rhs) { s = rhs.s; length = rhs.length; }")
  string(FIND "${text}" "${bad}" at)
  if(NOT at EQUAL -1)
    string(REPLACE "${bad}" "" text "${text}")
    file(WRITE ${fixed}/rapidjson/document.h "${text}")
  endif()
  target_include_directories(prowl_rapidjson SYSTEM BEFORE INTERFACE ${fixed})
endif()
if(NOT TARGET CLI11::CLI11)
  add_library(CLI11::CLI11 INTERFACE IMPORTED)
endif()

# Boost.Asio/Beast/DLL are header-only here; one interface target carries the common definitions.
add_library(prowl_boost INTERFACE)
target_link_libraries(prowl_boost INTERFACE Boost::headers Threads::Threads ${CMAKE_DL_LIBS})
target_compile_definitions(prowl_boost INTERFACE BOOST_DLL_USE_STD_FS BOOST_ASIO_NO_DEPRECATED)
# GCC 12 reports a false new/delete mismatch on Asio's recycling coroutine-frame allocator.
if(CMAKE_CXX_COMPILER_ID STREQUAL "GNU")
  target_compile_options(prowl_boost INTERFACE -Wno-mismatched-new-delete)
endif()

# prowl_protobuf_sources(<var> <file.proto>...): generates <file>.pb.{h,cc}
# for each .proto (a path relative to the calling folder) into the same path
# under the build tree, so code includes "host/<folder>/<file>.pb.h" with
# ${PROJECT_BINARY_DIR} on its include path; sets <var> to the .pb.cc files.
function(prowl_protobuf_sources var)
  set(sources)
  foreach(proto ${ARGN})
    get_filename_component(stem ${proto} NAME_WE)
    get_filename_component(source ${proto} ABSOLUTE)
    get_filename_component(source_dir ${source} DIRECTORY)
    file(RELATIVE_PATH rel_dir ${PROJECT_SOURCE_DIR} ${source_dir})
    set(out ${PROJECT_BINARY_DIR}/${rel_dir}/${stem})
    add_custom_command(
      OUTPUT ${out}.pb.h ${out}.pb.cc
      COMMAND protobuf::protoc --cpp_out=${PROJECT_BINARY_DIR} -I${PROJECT_SOURCE_DIR} ${source}
      DEPENDS ${source} protobuf::protoc
      COMMENT "Generating ${rel_dir}/${stem}.pb.{h,cc}")
    list(APPEND sources ${out}.pb.cc)
  endforeach()
  set(${var} ${sources} PARENT_SCOPE)
endfunction()
