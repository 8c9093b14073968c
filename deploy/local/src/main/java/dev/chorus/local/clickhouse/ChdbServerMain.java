package dev.chorus.local.clickhouse;

import com.sun.jna.Library;
import com.sun.jna.Native;
import com.sun.jna.Pointer;
import java.io.IOException;
import java.util.Arrays;

/**
 * Entry point of the ClickHouse child process: loads {@code libchdb.so} and runs its
 * clickhouse-local command line, which serves HTTP and native TCP while a never-ending query holds
 * it open. Exits when its parent closes stdin (parent gone), so no server is ever orphaned.
 *
 * <p>Arguments: the library path, then the ClickHouse argv.
 */
public final class ChdbServerMain {

  /** The one exported function used. */
  public interface Chdb extends Library {
    Pointer chdb_query_cmdline(int argc, String[] argv);
  }

  private ChdbServerMain() {}

  public static void main(String[] args) {
    if (args.length < 2) {
      System.err.println("usage: ChdbServerMain /path/to/libchdb.so clickhouse [args...]");
      System.exit(2);
    }
    Thread watchdog =
        new Thread(
            () -> {
              try {
                while (System.in.read() != -1) {
                  // the parent writes nothing; EOF means it is gone
                }
              } catch (IOException e) {
                // treat a broken pipe like EOF
              }
              Runtime.getRuntime().halt(0);
            },
            "parent-watchdog");
    watchdog.setDaemon(true);
    watchdog.start();
    Chdb chdb = Native.load(args[0], Chdb.class);
    String[] argv = Arrays.copyOfRange(args, 1, args.length);
    chdb.chdb_query_cmdline(argv.length, argv);
    System.err.println("ClickHouse exited: the serving query ended");
    Runtime.getRuntime().halt(1);
  }
}
