package io.inlet.streamload;

/** {@link StreamLoadClientTest}'s protocol handling with Apache HttpClient 5 carrying the requests. */
class StreamLoadClientHttpClient5Test extends StreamLoadClientTest {

    @Override
    StreamLoadClient client(StreamLoadConfig config) {
        return new StreamLoadClient(config, StreamLoadTransport.Implementation.HTTPCLIENT5);
    }
}
