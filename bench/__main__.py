"""`python -m bench [flowchart] [glossary] [records] [insight] [events] [phone] [load] [faults] [alerts]`: run the benchmarks and print their figures."""

import sys

from bench import alerts, events, faults, flowchart, glossary, insight, load, phone, records

BENCHES = {"flowchart": flowchart.main, "glossary": glossary.main, "records": records.main, "insight": insight.main,
           "events": events.main, "phone": phone.main, "load": load.main, "faults": faults.main,
           "alerts": alerts.main}


def main(argv: list[str]) -> None:
    names = argv or list(BENCHES)
    unknown = [n for n in names if n not in BENCHES]
    if unknown:
        sys.exit(f"unknown benchmark(s): {', '.join(unknown)}; choose from {', '.join(BENCHES)}")
    for name in names:
        print(f"== {name} ==", flush=True)
        BENCHES[name]()


if __name__ == "__main__":
    main(sys.argv[1:])
