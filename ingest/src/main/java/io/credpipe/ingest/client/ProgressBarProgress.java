package io.credpipe.ingest.client;

import java.io.PrintStream;
import java.time.temporal.ChronoUnit;
import me.tongfei.progressbar.ConsoleProgressBarConsumer;
import me.tongfei.progressbar.ProgressBar;
import me.tongfei.progressbar.ProgressBarBuilder;
import me.tongfei.progressbar.ProgressBarStyle;

/** A console progress bar for {@link BulkPublisher}: records done, records per second, and ETA. */
public final class ProgressBarProgress implements BulkPublisher.Progress, AutoCloseable {

    private final PrintStream out;
    private final String task;
    private ProgressBar bar;

    /**
     * @param out  where the bar is drawn, usually standard error so standard output stays the summary
     * @param task the bar's label, e.g. the file name
     */
    public ProgressBarProgress(PrintStream out, String task) {
        this.out = out;
        this.task = task;
    }

    @Override
    public void total(long records) {
        bar = new ProgressBarBuilder()
                .setTaskName(task)
                .setInitialMax(records)
                .setStyle(ProgressBarStyle.ASCII)
                .setUnit(" records", 1)
                .showSpeed()
                .setSpeedUnit(ChronoUnit.SECONDS)
                .setConsumer(new ConsoleProgressBarConsumer(out))
                .build();
    }

    @Override
    public void advanced(long records) {
        if (bar != null) {
            bar.stepBy(records);
        }
    }

    @Override
    public void close() {
        if (bar != null) {
            bar.close();
        }
    }
}
