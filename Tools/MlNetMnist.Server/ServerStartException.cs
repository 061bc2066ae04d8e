using System.Net.Sockets;

namespace MlNetMnist.Server;

/// <summary>The server could not start listening: the port is in use, or the host is not an address of this machine. The message says which and what to do.</summary>
public sealed class ServerStartException(string message, Exception? inner = null) : Exception(message, inner)
{
    /// <summary>Why Kestrel could not bind, as a sentence ending with what to do.</summary>
    internal static string Reason(IOException e) => Socket(e) switch
    {
        _ when e.InnerException is Microsoft.AspNetCore.Connections.AddressInUseException => "the port is already in use (another server?); stop it or choose another --port.",
        SocketError.AddressAlreadyInUse => "the port is already in use (another server?); stop it or choose another --port.",
        SocketError.AddressNotAvailable => "that address is not one of this machine's; use 127.0.0.1, or 0.0.0.0 for every interface.",
        SocketError.AccessDenied => "permission denied (ports below 1024 need privileges); choose a --port of 1024 or more.",
        _ => $"{e.Message.TrimEnd('.')}.",
    };

    private static SocketError? Socket(Exception? e)
    {
        for (; e is not null; e = e.InnerException)
            if (e is SocketException socket) return socket.SocketErrorCode;
        return null;
    }
}
