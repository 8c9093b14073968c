package dev.chorus.processor.engine;

import org.apache.avro.specific.SpecificRecordBase;

/** A {@link Reducer} whose name, output type and breakdowns are fixed at construction. */
public abstract class BaseReducer<C, A extends Accumulator<C, A>> implements Reducer<C, A> {

  private final String name;
  private final Class<? extends SpecificRecordBase> outputType;
  private final boolean rolling;
  private final boolean cohorts;

  protected BaseReducer(
      String name,
      Class<? extends SpecificRecordBase> outputType,
      boolean rolling,
      boolean cohorts) {
    this.name = name;
    this.outputType = outputType;
    this.rolling = rolling;
    this.cohorts = cohorts;
  }

  @Override
  public final String name() {
    return name;
  }

  @Override
  public final Class<? extends SpecificRecordBase> outputType() {
    return outputType;
  }

  @Override
  public final boolean rolling() {
    return rolling;
  }

  @Override
  public final boolean cohorts() {
    return cohorts;
  }
}
