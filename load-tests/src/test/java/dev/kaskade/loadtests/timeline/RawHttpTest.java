package dev.kaskade.loadtests.timeline;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class RawHttpTest {
  @Test
  void aContentLengthAnswerIsCompleteWhenItsWholeBodyArrived() {
    String head = "HTTP/1.1 200 OK\r\ncontent-type: application/json\r\ncontent-length: 7\r\n\r\n";
    assertThat(RawHttp.complete(head + "{\"a\":")).isFalse();
    assertThat(RawHttp.complete(head + "{\"a\":1}")).isTrue();
    assertThat(RawHttp.complete("HTTP/1.1 200 OK\r\ncontent-len")).isFalse();
  }

  @Test
  void aChunkedAnswerIsCompleteAtItsLastChunk() {
    String head = "HTTP/1.1 200 OK\r\ntransfer-encoding: chunked\r\n\r\n";
    String event = "d\r\ndata: {\"x\":1}\r\n";
    assertThat(RawHttp.complete(head + event)).isFalse();
    assertThat(RawHttp.complete(head + event + "0\r\n\r\n")).isTrue();
    assertThat(RawHttp.complete(head + "0\r\n\r\n")).isTrue();
  }
}
