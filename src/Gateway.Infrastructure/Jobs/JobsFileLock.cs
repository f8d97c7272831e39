namespace Gateway.Infrastructure.Jobs;

/// <summary>
/// Holds an exclusive lock on `{jobs file}.lock` for the life of the process: Hangfire.Storage.SQLite
/// dequeues with SELECT-then-UPDATE, so two processes on one file run some jobs twice. A second process
/// pointed at the same file fails at start-up with a message saying so.
/// </summary>
public sealed class JobsFileLock : IDisposable
{
    private readonly FileStream _lock;

    public JobsFileLock(string jobsFile)
    {
        var path = jobsFile + ".lock";
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        try
        {
            _lock = new FileStream(path, FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.None);
        }
        catch (IOException e)
        {
            throw new InvalidOperationException(
                $"Another gateway process is using the job store {jobsFile}. One process per jobs file: stop the other process, " +
                "or give this one its own Jobs:StoragePath (several nodes need Database:Provider=PostgreSql).", e);
        }
    }

    public void Dispose() => _lock.Dispose();
}
