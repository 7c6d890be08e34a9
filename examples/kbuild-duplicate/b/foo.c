#error stopped on purpose
