# Chanrong — the two set-up commands are `make run` and `make test`; the rest are their steps.
BUILD ?= build
CMAKE_FLAGS ?= -DCMAKE_BUILD_TYPE=RelWithDebInfo

.PHONY: run test deps build web unit api e2e bench fmt clean

run: build web
	@mkdir -p var
	./$(BUILD)/chanrong migrate
	./$(BUILD)/chanrong seed-demo
	@echo "产融合作平台 Chanrong: http://localhost:8080"
	./$(BUILD)/chanrong serve

test: build web
	scripts/test-all.sh

deps:
	@scripts/install-deps.sh

build: deps
	cmake -S . -B $(BUILD) -G Ninja $(CMAKE_FLAGS) >/dev/null
	ninja -C $(BUILD)

web: deps
	cd web && npm ci --no-audit --no-fund --loglevel=error && npm run build

unit: build
	cd $(BUILD) && ctest --output-on-failure

api: build
	scripts/test-all.sh api

e2e: build web
	scripts/test-all.sh e2e

bench: build
	CHANRONG_BIN=$(BUILD)/chanrong bench/http_bench.sh

fmt:
	clang-format -i $$(git ls-files 'src/*.cpp' 'src/*.hpp' 'bench/*.cpp')

clean:
	rm -rf $(BUILD) web/dist
