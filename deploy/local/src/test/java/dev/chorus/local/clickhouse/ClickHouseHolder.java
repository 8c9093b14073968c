package dev.chorus.local.clickhouse;

import java.nio.file.Path;

/** Test helper process: starts ClickHouse, prints its pid, then waits to be killed. */
public final class ClickHouseHolder {

  private ClickHouseHolder() {}

  public static void main(String[] args) throws InterruptedException {
    LocalClickHouse clickhouse =
        LocalClickHouse.start(Path.of(args[0]), Path.of(args[1]), 0, 0, null);
    System.out.println("pid=" + clickhouse.pid());
    System.out.flush();
    Thread.sleep(Long.MAX_VALUE);
  }
}
