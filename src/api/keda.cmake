# The KEDA external scaler: C++ generated from proto/externalscaler.proto by
# protoc and grpc_cpp_plugin (Debian: protobuf-compiler, protobuf-compiler-grpc).
set(KEDA_PROTO ${PROJECT_SOURCE_DIR}/proto/externalscaler.proto)
set(KEDA_GEN ${CMAKE_CURRENT_BINARY_DIR}/generated)
set(KEDA_GEN_SRCS ${KEDA_GEN}/externalscaler.pb.cc ${KEDA_GEN}/externalscaler.grpc.pb.cc)
set(KEDA_GEN_HDRS ${KEDA_GEN}/externalscaler.pb.h ${KEDA_GEN}/externalscaler.grpc.pb.h)
add_custom_command(
  OUTPUT ${KEDA_GEN_SRCS} ${KEDA_GEN_HDRS}
  COMMAND ${CMAKE_COMMAND} -E make_directory ${KEDA_GEN}
  COMMAND protobuf::protoc --proto_path=${PROJECT_SOURCE_DIR}/proto --cpp_out=${KEDA_GEN}
          --grpc_out=${KEDA_GEN} --plugin=protoc-gen-grpc=${GRPC_CPP_PLUGIN} ${KEDA_PROTO}
  DEPENDS ${KEDA_PROTO}
  COMMENT "Generating the KEDA external scaler stubs")
add_library(storepilot_keda_proto ${KEDA_GEN_SRCS})
target_include_directories(storepilot_keda_proto SYSTEM PUBLIC ${KEDA_GEN})
target_link_libraries(storepilot_keda_proto PUBLIC gRPC::grpc++ protobuf::libprotobuf)
target_compile_options(storepilot_keda_proto PRIVATE -w)
