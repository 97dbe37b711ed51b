//! One accepted connection, plain TCP or TLS, behind one type.

use std::io;
use std::pin::Pin;
use std::task::{Context, Poll};

use tokio::io::{AsyncRead, AsyncWrite, ReadBuf};
use tokio::net::TcpStream;
use tokio_rustls::server::TlsStream;

/// A client connection, `ws://` or `wss://`.
pub(crate) enum SimStream {
    Plain(TcpStream),
    Tls(Box<TlsStream<TcpStream>>),
}

impl SimStream {
    /// The TCP socket underneath.
    pub fn tcp(&self) -> &TcpStream {
        match self {
            SimStream::Plain(s) => s,
            SimStream::Tls(s) => s.get_ref().0,
        }
    }

    /// Makes the next close a TCP reset instead of a FIN (a "dropped" connection).
    pub fn reset_on_close(&self) {
        // Linger 0 resets at once; it cannot block the thread on drop.
        #[allow(deprecated)]
        let _ = self.tcp().set_linger(Some(std::time::Duration::ZERO));
    }
}

impl AsyncRead for SimStream {
    fn poll_read(self: Pin<&mut Self>, cx: &mut Context<'_>, buf: &mut ReadBuf<'_>) -> Poll<io::Result<()>> {
        match self.get_mut() {
            SimStream::Plain(s) => Pin::new(s).poll_read(cx, buf),
            SimStream::Tls(s) => Pin::new(s.as_mut()).poll_read(cx, buf),
        }
    }
}

impl AsyncWrite for SimStream {
    fn poll_write(self: Pin<&mut Self>, cx: &mut Context<'_>, buf: &[u8]) -> Poll<io::Result<usize>> {
        match self.get_mut() {
            SimStream::Plain(s) => Pin::new(s).poll_write(cx, buf),
            SimStream::Tls(s) => Pin::new(s.as_mut()).poll_write(cx, buf),
        }
    }

    fn poll_flush(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<io::Result<()>> {
        match self.get_mut() {
            SimStream::Plain(s) => Pin::new(s).poll_flush(cx),
            SimStream::Tls(s) => Pin::new(s.as_mut()).poll_flush(cx),
        }
    }

    fn poll_shutdown(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<io::Result<()>> {
        match self.get_mut() {
            SimStream::Plain(s) => Pin::new(s).poll_shutdown(cx),
            SimStream::Tls(s) => Pin::new(s.as_mut()).poll_shutdown(cx),
        }
    }

    fn poll_write_vectored(self: Pin<&mut Self>, cx: &mut Context<'_>, bufs: &[io::IoSlice<'_>]) -> Poll<io::Result<usize>> {
        match self.get_mut() {
            SimStream::Plain(s) => Pin::new(s).poll_write_vectored(cx, bufs),
            SimStream::Tls(s) => Pin::new(s.as_mut()).poll_write_vectored(cx, bufs),
        }
    }

    fn is_write_vectored(&self) -> bool {
        match self {
            SimStream::Plain(s) => s.is_write_vectored(),
            SimStream::Tls(s) => s.is_write_vectored(),
        }
    }
}
