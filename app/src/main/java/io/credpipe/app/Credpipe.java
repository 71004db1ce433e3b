package io.credpipe.app;

import io.credpipe.app.command.BenchCommand;
import io.credpipe.app.command.DemoCommand;
import io.credpipe.app.command.KeysCommand;
import io.credpipe.app.command.LinksCommand;
import io.credpipe.app.command.PublishCommand;
import io.credpipe.app.command.RunCommand;
import io.credpipe.app.command.SourcesCommand;
import io.credpipe.app.command.VerifierCommand;
import io.credpipe.app.command.VerifyCommand;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/** The {@code credpipe} launcher. */
@Command(name = "credpipe", mixinStandardHelpOptions = true, versionProvider = Credpipe.Version.class,
        description = "Competency assessments in, verifiable Open Badges 3.0 credentials out.",
        subcommands = {
            RunCommand.class, RunCommand.Ingest.class, RunCommand.Evaluator.class, RunCommand.Issuer.class,
            DemoCommand.class, VerifyCommand.class, VerifierCommand.class, SourcesCommand.class, LinksCommand.class, PublishCommand.class, KeysCommand.class,
            BenchCommand.class, CommandLine.HelpCommand.class
        })
public final class Credpipe {

    private Credpipe() {}

    public static void main(String[] args) {
        System.exit(commandLine().execute(args));
    }

    /** The command line with credpipe's error handling: a message, never a stack trace. */
    public static CommandLine commandLine() {
        CommandLine cli = new CommandLine(Credpipe.class);
        cli.setExecutionExceptionHandler((e, commandLine, parseResult) -> {
            commandLine.getErr().println("credpipe " + commandLine.getCommandName() + ": " + messageOf(e));
            commandLine.getErr().flush();
            return 2;
        });
        return cli;
    }

    private static String messageOf(Throwable e) {
        Throwable cause = e;
        while (cause.getMessage() == null && cause.getCause() != null) {
            cause = cause.getCause();
        }
        return cause.getMessage() == null ? cause.getClass().getSimpleName() : cause.getMessage();
    }

    /** The version from the jar manifest. */
    static final class Version implements CommandLine.IVersionProvider {
        @Override
        public String[] getVersion() {
            String version = Credpipe.class.getPackage().getImplementationVersion();
            return new String[] {"credpipe " + (version == null ? "(development build)" : version)};
        }
    }
}
