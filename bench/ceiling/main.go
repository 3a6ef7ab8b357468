// Command ceiling is the benchmark's yardstick: the cheapest echo server that
// still does what every Storekeep read does at the end, encode a JSON body.
// GET /ceiling answers a fixed product-list-like document of about 2 KB,
// encoded on each request, with no middleware, no database and no logging.
// bench/run.sh loads it with the same wrk settings as the real endpoints, so
// their throughput can be read as a fraction of what this machine, Go's HTTP
// server and echo allow at all.
package main

import (
	"context"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"log"
	"net/http"
	"os"
	"os/signal"
	"syscall"
	"time"

	"github.com/labstack/echo/v4"
)

// price and item mimic the shape of a catalog listing, so the encoder does
// similar work per byte as on /v1/store/products.
type price struct {
	Amount   int64  `json:"amount"`
	Currency string `json:"currency"`
}

type item struct {
	ID      string   `json:"id"`
	Handle  string   `json:"handle"`
	Title   string   `json:"title"`
	Tags    []string `json:"tags"`
	Price   price    `json:"price"`
	InStock bool     `json:"in_stock"`
}

type list struct {
	Data       []item  `json:"data"`
	NextCursor *string `json:"next_cursor"`
}

// body is the fixed document; payload() sizes it to about 2 KB.
func payload() list {
	var l list
	for i := range 10 {
		l.Data = append(l.Data, item{
			ID:      fmt.Sprintf("prod_06h1x0000000000000000000%02d", i),
			Handle:  fmt.Sprintf("gentle-cleansing-gel-%02d", i),
			Title:   fmt.Sprintf("Gentle Cleansing Gel %02d", i),
			Tags:    []string{"vegan", "cleanser"},
			Price:   price{Amount: 1999 + int64(i)*100, Currency: "EUR"},
			InStock: i%5 != 0,
		})
	}
	return l
}

func main() {
	addr := flag.String("addr", "127.0.0.1:18080", "listen address (keep it on loopback)")
	flag.Parse()

	body := payload()
	b, _ := json.Marshal(body)
	e := echo.New()
	e.HideBanner, e.HidePort = true, true
	e.GET("/ceiling", func(c echo.Context) error { return c.JSON(http.StatusOK, body) })

	srv := &http.Server{Addr: *addr, Handler: e, ReadHeaderTimeout: 5 * time.Second}
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	go func() {
		<-ctx.Done()
		sctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
		defer cancel()
		_ = srv.Shutdown(sctx)
	}()
	log.Printf("ceiling: GET http://%s/ceiling answers %d bytes of JSON", *addr, len(b))
	if err := srv.ListenAndServe(); err != nil && !errors.Is(err, http.ErrServerClosed) {
		log.Fatal(err)
	}
}
