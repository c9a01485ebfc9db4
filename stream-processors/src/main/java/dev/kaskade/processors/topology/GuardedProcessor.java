package dev.kaskade.processors.topology;

import dev.kaskade.processors.kafka.Failures;
import dev.kaskade.schemas.error.KaskadeException;
import dev.kaskade.schemas.error.Reason;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.ProcessorSupplier;
import org.apache.kafka.streams.processor.api.Record;

/**
 * Turns an {@link Error} escaping a processor (a {@code StackOverflowError} from a deep payload, a
 * {@code NoClassDefFoundError} from a user jar) into an exception. Kafka Streams hands only {@link
 * Exception}s to the processing-exception handler (which dead-letters the record and resumes); an
 * Error would kill the stream thread, and the replaced thread would re-read the same uncommitted
 * record and die again. Fatal errors ({@link Failures#isFatal}) still propagate.
 */
public final class GuardedProcessor<KI, VI, KO, VO> implements Processor<KI, VI, KO, VO> {
  private final Processor<KI, VI, KO, VO> inner;

  private GuardedProcessor(Processor<KI, VI, KO, VO> inner) {
    this.inner = inner;
  }

  /** A supplier of guarded processors. */
  public static <KI, VI, KO, VO> ProcessorSupplier<KI, VI, KO, VO> of(
      ProcessorSupplier<KI, VI, KO, VO> supplier) {
    return () -> new GuardedProcessor<>(supplier.get());
  }

  @Override
  public void init(ProcessorContext<KO, VO> context) {
    inner.init(context);
  }

  @Override
  public void process(Record<KI, VI> record) {
    try {
      inner.process(record);
    } catch (Error e) {
      Failures.rethrowIfFatal(e);
      throw new KaskadeException(Reason.INTERNAL, Failures.describe(e), e);
    }
  }

  @Override
  public void close() {
    inner.close();
  }
}
