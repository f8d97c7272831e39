using MudBlazor;

namespace Gateway.Web.Features.Shared;

/// <summary>How a command's outcome reaches the user: a short success toast, or the server's refusal, kept longer.</summary>
public static class SnackbarReports
{
    public static void Report(this ISnackbar snackbar, bool succeeded, string message) =>
        snackbar.Add(succeeded ? message : $"Not done: {message}", succeeded ? Severity.Success : Severity.Error,
            o => o.VisibleStateDuration = succeeded ? 3000 : 8000);
}
