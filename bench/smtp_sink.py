"""An SMTP sink for the benchmarks, in its own process: accepts everything and logs, per
accepted message and recipient, one line `<recipient>\t<Message-ID>` to a file.

    python bench/smtp_sink.py PORT LOGFILE
"""

import re
import signal
import sys
import threading

from aiosmtpd.controller import Controller

MESSAGE_ID = re.compile(rb"^Message-ID:\s*(<[^>]+>)", re.IGNORECASE | re.MULTILINE)


class Sink:
    def __init__(self, log):
        self.log = log

    async def handle_DATA(self, server, session, envelope):
        found = MESSAGE_ID.search(envelope.content)
        message_id = found.group(1).decode() if found else "-"
        for recipient in envelope.rcpt_tos:
            self.log.write(f"{recipient}\t{message_id}\n")
        self.log.flush()
        return "250 OK"


def main(port: int, path: str) -> None:
    with open(path, "a", buffering=1) as log:
        controller = Controller(Sink(log), hostname="127.0.0.1", port=port)
        controller.start()
        print("ready", flush=True)
        stop = threading.Event()
        signal.signal(signal.SIGTERM, lambda *_: stop.set())
        signal.signal(signal.SIGINT, lambda *_: stop.set())
        stop.wait()
        controller.stop()


if __name__ == "__main__":
    main(int(sys.argv[1]), sys.argv[2])
