package dev.valkeyrie.cli;

import io.grpc.HandlerRegistry;
import io.grpc.MethodDescriptor;
import io.grpc.Server;
import io.grpc.ServerMethodDefinition;
import io.grpc.netty.shaded.io.grpc.netty.NettyServerBuilder;
import io.grpc.stub.ServerCalls;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import org.jspecify.annotations.Nullable;

/**
 * For {@link CdsTraining}: a gRPC server on 127.0.0.1 that answers every unary call of any service
 * with an empty message (etcd's answers with every field at its default: no keys, revision 0), so
 * that a v3 command runs its whole path, channel, stubs and protobuf decoding included, without an
 * etcd. It knows nothing of etcd's messages.
 */
final class GrpcStandIn implements AutoCloseable {
  private static final MethodDescriptor.Marshaller<byte[]> BYTES =
      new MethodDescriptor.Marshaller<>() {
        @Override
        public InputStream stream(byte[] value) {
          return new ByteArrayInputStream(value);
        }

        @Override
        public byte[] parse(InputStream stream) {
          try {
            return stream.readAllBytes();
          } catch (IOException e) {
            throw new UncheckedIOException(e);
          }
        }
      };

  private final Server server;

  private GrpcStandIn(Server server) {
    this.server = server;
  }

  static GrpcStandIn start() throws IOException {
    Server server =
        NettyServerBuilder.forAddress(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0))
            .fallbackHandlerRegistry(new EmptyAnswers())
            .build()
            .start();
    return new GrpcStandIn(server);
  }

  /** {@code 127.0.0.1:<port>}. */
  String endpoint() {
    return "127.0.0.1:" + server.getPort();
  }

  @Override
  public void close() {
    server.shutdownNow();
  }

  private static final class EmptyAnswers extends HandlerRegistry {
    @Override
    public ServerMethodDefinition<?, ?> lookupMethod(
        String methodName, @Nullable String authority) {
      MethodDescriptor<byte[], byte[]> method =
          MethodDescriptor.<byte[], byte[]>newBuilder()
              .setType(MethodDescriptor.MethodType.UNARY)
              .setFullMethodName(methodName)
              .setRequestMarshaller(BYTES)
              .setResponseMarshaller(BYTES)
              .build();
      return ServerMethodDefinition.create(
          method,
          ServerCalls.asyncUnaryCall(
              (request, answer) -> {
                answer.onNext(new byte[0]);
                answer.onCompleted();
              }));
    }
  }
}
