package io.credpipe.ingest.client;

import java.io.PrintStream;
import java.time.temporal.ChronoUnit;
import me.tongfei.progressbar.ConsoleProgressBarConsumer;
import me.tongfei.progressbar.ProgressBar;
import me.tongfei.progressbar.ProgressBarBuilder;
import me.tongfei.progressbar.ProgressBarStyle;

/**
 * A console progress bar for {@link BulkPublisher} (records sent) or {@link BatchReceipts} (events
 * processed): records done, records per second, and ETA.
 */
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

    /**
     * Shows how many accepted events the pipeline has processed, for {@link BatchReceipts}.
     *
     * @param processed events processed so far
     * @param accepted  events accepted in all
     */
    public void processed(long processed, long accepted) {
        if (bar == null) {
            total(accepted);
        }
        bar.maxHint(accepted);
        bar.stepTo(processed);
    }

    @Override
    public void close() {
        if (bar != null) {
            bar.close();
        }
    }
}
