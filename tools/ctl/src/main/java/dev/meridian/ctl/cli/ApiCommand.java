package dev.meridian.ctl.cli;

import com.fasterxml.jackson.databind.JsonNode;
import dev.meridian.ctl.CtlCommand;
import dev.meridian.ctl.ExitCodes;
import dev.meridian.ctl.http.ApiClient;
import dev.meridian.ctl.http.ApiResponse;
import dev.meridian.ctl.http.Service;
import dev.meridian.ctl.output.Format;
import java.io.PrintWriter;
import java.util.concurrent.Callable;
import java.util.function.BiConsumer;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/** A command that calls a service: the root's settings, the output streams, and printing an answer either way. */
abstract class ApiCommand implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    CtlCommand ctl() {
        return (CtlCommand) spec.root().userObject();
    }

    ApiClient client(Service service) {
        return ctl().client(service);
    }

    PrintWriter out() {
        return spec.commandLine().getOut();
    }

    /** The raw body with {@code -o json}, else the view of the parsed body. */
    void print(ApiResponse response, BiConsumer<JsonNode, PrintWriter> view) {
        if (ctl().format() == Format.JSON) {
            out().println(response.body().strip());
        } else {
            view.accept(response.json(), out());
        }
        out().flush();
    }

    /** A read: one GET, its answer printed. */
    int show(ApiResponse response, BiConsumer<JsonNode, PrintWriter> view) {
        print(response, view);
        return ExitCodes.OK;
    }
}
