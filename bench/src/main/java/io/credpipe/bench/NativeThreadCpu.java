package io.credpipe.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

/**
 * CPU time of the threads {@link ThreadCpu} cannot see: the JVM's garbage collector and JIT
 * compiler threads and RocksDB's background threads (Kafka Streams' state stores), read from Linux's
 * {@code /proc/self/task/<tid>/stat} by thread name. Without it they are one "GC, JIT, native" line.
 *
 * <p>{@code stat} counts in clock ticks of 10 ms ({@code USER_HZ} is 100 on Linux's common
 * architectures), so the figures are good over a run of seconds, not per event. A thread that ended
 * between two snapshots loses its time, as in {@link ThreadCpu}. Where {@code /proc} is missing the
 * snapshot is empty and nothing is reported.
 */
public final class NativeThreadCpu {

    /** The groups, by the name Linux gives the thread (at most 15 characters). */
    public static final String GC = "garbage collector threads";
    public static final String JIT = "JIT compiler threads";
    public static final String ROCKSDB = "RocksDB background threads";

    private static final long NANOS_PER_TICK = 10_000_000L;
    private static final Path TASKS = Path.of("/proc/self/task");

    private NativeThreadCpu() {}

    /** CPU nanoseconds so far of each group; empty when {@code /proc} cannot be read. */
    public static Map<String, Long> snapshot() {
        Map<String, Long> cpu = new LinkedHashMap<>();
        for (String group : List.of(GC, JIT, ROCKSDB)) {
            cpu.put(group, 0L);
        }
        try (Stream<Path> tasks = Files.list(TASKS)) {
            for (Path task : tasks.toList()) {
                String stat;
                try {
                    stat = Files.readString(task.resolve("stat"));
                } catch (IOException ended) {
                    continue;
                }
                int open = stat.indexOf('(');
                int close = stat.lastIndexOf(')');
                String group = open < 0 || close < open ? null : group(stat.substring(open + 1, close));
                if (group != null) {
                    cpu.merge(group, ticks(stat) * NANOS_PER_TICK, Long::sum);
                }
            }
        } catch (IOException | RuntimeException e) {
            return Map.of();
        }
        return cpu;
    }

    /** User plus system clock ticks from one {@code stat} line. */
    static long ticks(String stat) {
        // The name may hold spaces and parentheses: fields are counted from the last ')'. After it,
        // state is field 3 of proc(5)'s stat; utime and stime are fields 14 and 15.
        String[] fields = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
        return Long.parseLong(fields[11]) + Long.parseLong(fields[12]);
    }

    /** The group of a thread by its Linux name, or null for threads this class does not count. */
    static String group(String name) {
        if (name.startsWith("GC Thread") || name.startsWith("G1 ")) {
            return GC;
        }
        if (name.startsWith("C1 CompilerThre") || name.startsWith("C2 CompilerThre")) {
            return JIT;
        }
        if (name.startsWith("rocksdb:")) {
            return ROCKSDB;
        }
        return null;
    }
}
