package dev.chorus.testkit;

import java.util.Locale;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.ParameterContext;
import org.junit.jupiter.api.extension.ParameterResolver;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Injects the shared {@link ChorusStack} into test constructors and methods. The stack starts on
 * first use and is stopped when the test run (the JVM's JUnit engine) ends, so all integration
 * tests of a module share one stack. Selected with {@code -Dchorus.it.stack=local|containers}.
 */
public final class ChorusStackExtension implements ParameterResolver {

  /** System property choosing the stack implementation. */
  public static final String STACK_PROPERTY = "chorus.it.stack";

  private static final Logger LOG = LoggerFactory.getLogger(ChorusStackExtension.class);
  private static final ExtensionContext.Namespace NAMESPACE =
      ExtensionContext.Namespace.create(ChorusStackExtension.class);

  @Override
  public boolean supportsParameter(ParameterContext parameter, ExtensionContext context) {
    return parameter.getParameter().getType() == ChorusStack.class;
  }

  @Override
  public Object resolveParameter(ParameterContext parameter, ExtensionContext context) {
    return stack(context);
  }

  /** The shared stack, started on first call. */
  public static ChorusStack stack(ExtensionContext context) {
    return context
        .getRoot()
        .getStore(NAMESPACE)
        .getOrComputeIfAbsent(ChorusStack.class, type -> start(), ChorusStack.class);
  }

  private static ChorusStack start() {
    String kind = System.getProperty(STACK_PROPERTY, "local").trim().toLowerCase(Locale.ROOT);
    long started = System.nanoTime();
    ChorusStack stack =
        switch (kind) {
          case "local" -> new LocalProcessStack();
          case "containers" -> new ContainersStack();
          default ->
              throw new IllegalArgumentException(
                  STACK_PROPERTY + " must be 'local' or 'containers', got '" + kind + "'");
        };
    LOG.info(
        "Test stack '{}' up in {} ms: Kafka {}, registry {}, ClickHouse {}",
        kind,
        (System.nanoTime() - started) / 1_000_000,
        stack.kafkaBootstrapServers(),
        stack.schemaRegistryUrl(),
        stack.clickhouseHttpUrl());
    return stack;
  }
}
