package io.credpipe.bench;

import java.lang.management.ManagementFactory;
import java.lang.management.ThreadInfo;
import java.lang.management.ThreadMXBean;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;

/**
 * CPU time of this process by thread group, for benchmarks on a shared machine: CPU per event is
 * steadier than events per second when other processes take cores away. Threads are grouped by
 * name; a thread that ended between two snapshots loses its time, so groups are best read over
 * threads that live through the measurement (stream, server and producer threads do).
 */
public final class ThreadCpu {

    /**
     * A named group of threads.
     *
     * @param name    what the report calls it
     * @param matches which thread names belong to it (the first group that matches takes a thread)
     */
    public record Group(String name, Predicate<String> matches) {}

    /** The name of the group of threads no other group takes. */
    public static final String OTHER = "other Java threads (broker, clients)";

    private final List<Group> groups;
    private final ThreadMXBean threads = ManagementFactory.getThreadMXBean();

    /** Groups threads by the first of {@code groups} whose predicate accepts the thread's name. */
    public ThreadCpu(List<Group> groups) {
        this.groups = List.copyOf(groups);
    }

    /** CPU nanoseconds so far per group, in the groups' order, then {@link #OTHER}. */
    public Map<String, Long> snapshot() {
        Map<String, Long> cpu = new LinkedHashMap<>();
        groups.forEach(g -> cpu.put(g.name(), 0L));
        cpu.put(OTHER, 0L);
        long[] ids = threads.getAllThreadIds();
        ThreadInfo[] infos = threads.getThreadInfo(ids);
        for (int i = 0; i < ids.length; i++) {
            if (infos[i] == null) {
                continue;
            }
            long nanos = threads.getThreadCpuTime(ids[i]);
            if (nanos <= 0) {
                continue;
            }
            String name = infos[i].getThreadName();
            String group = groups.stream().filter(g -> g.matches().test(name)).map(Group::name).findFirst().orElse(OTHER);
            cpu.merge(group, nanos, Long::sum);
        }
        return cpu;
    }

    /** What each group used between two snapshots (never negative: ended threads are dropped). */
    public static Map<String, Long> between(Map<String, Long> before, Map<String, Long> after) {
        Map<String, Long> used = new LinkedHashMap<>();
        after.forEach((group, nanos) -> used.put(group, Math.max(0, nanos - before.getOrDefault(group, 0L))));
        return used;
    }

    /** CPU nanoseconds of the whole process so far, GC, JIT and native threads included. */
    public static long process() {
        return ((com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean()).getProcessCpuTime();
    }
}
