"""Loopback helpers shared by the .ci Python scripts (imported from the script's folder)."""
import socket


def free_port():
    """A port free on 127.0.0.1 right now (the kernel's pick for port 0)."""
    s = socket.socket()
    s.bind(("127.0.0.1", 0))
    port = s.getsockname()[1]
    s.close()
    return port
