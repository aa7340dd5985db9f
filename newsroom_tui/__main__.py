from newsroom_tui.entry import main

raise SystemExit(main())
