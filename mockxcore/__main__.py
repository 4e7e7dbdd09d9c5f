from mockxcore.cli import main

raise SystemExit(main())
